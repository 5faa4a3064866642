#pragma once
// Where conversations and their messages are kept. A turn is appended in one transaction,
// so a reader never sees a question without its answer (or an interrupted answer's mark).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/conversation/conversation.hpp"

namespace companion::core {

struct TurnRecord {
  StoredMessage user;
  StoredMessage assistant;
  std::vector<ToolEventRecord> tool_events;
};

enum class MessageOrder { OldestFirst, NewestFirst };

struct MessagePage {
  std::size_t limit = 50;
  std::size_t offset = 0;
  MessageOrder order = MessageOrder::OldestFirst;
};

class ConversationRepository {
 public:
  virtual ~ConversationRepository() = default;

  virtual std::optional<Conversation> find(std::string_view conversation_id) = 0;
  // Inserts the conversation; false when the id is taken (by anyone).
  virtual bool create(const Conversation& conversation) = 0;
  virtual void set_title(std::string_view conversation_id, std::string_view title) = 0;
  virtual void set_character(std::string_view conversation_id, std::string_view character_id) = 0;
  // The user's conversations, most recently active first.
  virtual std::vector<Conversation> list(std::int64_t user_id, std::size_t limit,
                                         std::size_t offset) = 0;
  virtual std::int64_t count(std::int64_t user_id) = 0;
  // The user's most recently active conversation opened by that client type.
  virtual std::optional<Conversation> latest(std::int64_t user_id, std::string_view client_type) {
    for (auto& conversation : list(user_id, 1000, 0)) {
      if (conversation.client_type == client_type) return conversation;
    }
    return std::nullopt;
  }
  // How many of the user's conversations answer as that character (Chattr's character
  // statistics). A store that can count in one query overrides this walk over the list.
  virtual std::int64_t count_with_character(std::int64_t user_id, std::string_view character_id) {
    auto all = static_cast<std::size_t>(std::max<std::int64_t>(count(user_id), 0));
    std::int64_t matching = 0;
    for (const auto& conversation : list(user_id, all, 0)) {
      if (conversation.character_id == character_id) ++matching;
    }
    return matching;
  }
  // Deletes the conversation and its messages; false when there was none.
  virtual bool remove(std::string_view conversation_id) = 0;

  // Both messages and the tool events in one transaction; bumps last_activity.
  virtual void append_turn(const TurnRecord& turn) = 0;
  virtual std::vector<StoredMessage> messages(std::string_view conversation_id,
                                              const MessagePage& page) = 0;
  virtual std::int64_t message_count(std::string_view conversation_id) = 0;
  // The last `count` messages, oldest first (the history window of a prompt).
  virtual std::vector<StoredMessage> recent(std::string_view conversation_id,
                                            std::size_t count) = 0;
  // Every message of the user across conversations (AI Friend's history).
  virtual std::vector<StoredMessage> user_messages(std::int64_t user_id,
                                                   const MessagePage& page) = 0;
  virtual std::int64_t user_message_count(std::int64_t user_id) = 0;
  // Deletes the messages, keeps the conversation; returns how many were deleted.
  virtual std::int64_t clear(std::string_view conversation_id) = 0;
  // Deletes every message of the user; returns how many.
  virtual std::int64_t clear_user(std::int64_t user_id) = 0;

  virtual std::vector<ToolEventRecord> tool_events(std::int64_t user_id, std::int64_t since_ms) = 0;
};

}  // namespace companion::core
