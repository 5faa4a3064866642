#pragma once
// The conversation store on SQLite: conversations are `sessions` rows (the same rows the
// Voice Assistant's sessions are), turns are `messages` rows, tool calls `tool_events` rows.
// Message counts are counted (COUNT over the (session_id, id) index), so they are right after
// any clear or delete without a counter to keep in step.
#include <memory>

#include "core/conversation/conversation_repository.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteConversationRepository final : public core::ConversationRepository {
 public:
  explicit SqliteConversationRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::optional<core::Conversation> find(std::string_view conversation_id) override;
  bool create(const core::Conversation& conversation) override;
  void set_title(std::string_view conversation_id, std::string_view title) override;
  void set_character(std::string_view conversation_id, std::string_view character_id) override;
  std::vector<core::Conversation> list(std::int64_t user_id, std::size_t limit,
                                       std::size_t offset) override;
  std::int64_t count(std::int64_t user_id) override;
  bool remove(std::string_view conversation_id) override;

  // The turn belongs to the conversation its user message names, and its rows to that
  // conversation's owner. Throws DatabaseError when there is no such conversation. A message
  // without an id gets one ("msg_" + 16 hex); one without a time gets the current time.
  void append_turn(const core::TurnRecord& turn) override;
  std::vector<core::StoredMessage> messages(std::string_view conversation_id,
                                            const core::MessagePage& page) override;
  std::int64_t message_count(std::string_view conversation_id) override;
  std::vector<core::StoredMessage> recent(std::string_view conversation_id,
                                          std::size_t count) override;
  std::vector<core::StoredMessage> user_messages(std::int64_t user_id,
                                                 const core::MessagePage& page) override;
  std::int64_t user_message_count(std::int64_t user_id) override;
  // Clearing messages clears the tool events of those turns too: their arguments and
  // results quote what was said.
  std::int64_t clear(std::string_view conversation_id) override;
  std::int64_t clear_user(std::int64_t user_id) override;

  std::vector<core::ToolEventRecord> tool_events(std::int64_t user_id,
                                                 std::int64_t since_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace companion::store::sqlite
