#pragma once
// The record-style view of the conversation store on SQLite: the same `sessions`,
// `messages` and `tool_events` rows SqliteConversationRepository writes, addressed by row
// id. A turn is the reply row joined with the user row of the same turn id.
#include <memory>

#include "core/conversation/turn_archive.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteTurnArchive final : public core::TurnArchive {
 public:
  explicit SqliteTurnArchive(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::vector<core::Conversation> conversations(const core::ConversationQuery& query) override;
  std::int64_t count_conversations(const core::ConversationQuery& query) override;
  std::optional<core::Conversation> conversation(std::int64_t row_id) override;
  std::optional<core::Conversation> conversation(std::string_view id) override;

  std::vector<core::ArchivedTurn> turns(const core::TurnQuery& query) override;
  std::int64_t count_turns(const core::TurnQuery& query) override;
  std::optional<core::ArchivedTurn> turn(std::int64_t id) override;
  std::optional<core::ArchivedTurn> turn_by_turn_id(std::string_view turn_id) override;
  bool edit_turn(std::int64_t id, const core::TurnEdit& edit) override;
  bool remove_turn(std::int64_t id) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace companion::store::sqlite
