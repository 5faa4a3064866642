#pragma once
// Stored conversations and turns addressed by number, as the record-style APIs see them
// (AI Coach's /api/sessions/ and /api/chats/): a conversation by its row id, a turn by
// the row id of its reply, listings filtered by the client type that opened the
// conversation, and the edits an admin's import or correction needs. A view of the one
// conversation store (ConversationRepository), never a second copy of it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/conversation/conversation.hpp"

namespace companion::core {

// One turn: the user's message and the reply to it.
struct ArchivedTurn {
  std::int64_t id = 0;  // the reply's row id
  std::int64_t conversation_row_id = 0;
  StoredMessage question;
  StoredMessage reply;
};

struct ConversationQuery {
  std::int64_t user_id = 0;
  std::string client_type;  // empty: any
  std::size_t limit = 10;
  std::size_t offset = 0;
};

struct TurnQuery {
  std::int64_t user_id = 0;
  std::string client_type;                          // of the conversation; empty: any
  std::optional<std::int64_t> conversation_row_id;  // only this conversation's turns
  std::size_t limit = 10;
  std::size_t offset = 0;
};

struct TurnEdit {
  std::optional<std::string> question;
  std::optional<std::string> reply;
};

class TurnArchive {
 public:
  virtual ~TurnArchive() = default;

  // Conversations with their row ids, in row id order.
  virtual std::vector<Conversation> conversations(const ConversationQuery& query) = 0;
  virtual std::int64_t count_conversations(const ConversationQuery& query) = 0;
  virtual std::optional<Conversation> conversation(std::int64_t row_id) = 0;
  virtual std::optional<Conversation> conversation(std::string_view id) = 0;

  // Turns in the order they were stored.
  virtual std::vector<ArchivedTurn> turns(const TurnQuery& query) = 0;
  virtual std::int64_t count_turns(const TurnQuery& query) = 0;
  virtual std::optional<ArchivedTurn> turn(std::int64_t id) = 0;
  virtual std::optional<ArchivedTurn> turn_by_turn_id(std::string_view turn_id) = 0;
  // Changes the text of the question and/or the reply; false when there is no such turn.
  virtual bool edit_turn(std::int64_t id, const TurnEdit& edit) = 0;
  // Deletes both messages of the turn and its tool events; false when there was none.
  virtual bool remove_turn(std::int64_t id) = 0;
};

}  // namespace companion::core
