#pragma once
// The Voice Assistant's sessions on SQLite: the `sessions` rows the conversation store keeps
// its conversations in, so a session saved here is a conversation with the same id (and its
// messages go when it is removed). A session names its user by username; the row keeps the
// user's numeric id. Times are kept to the second.
#include <memory>

#include "core/sessions/session_repository.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteSessionRepository final : public core::SessionRepository {
 public:
  explicit SqliteSessionRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::optional<core::Session> find(std::string_view session_id) override;
  // Throws DatabaseError when no user has the session's username (users are created first)
  // or when the id is another user's conversation (a session never changes hands).
  void save(const core::Session& session) override;
  bool remove(std::string_view session_id) override;
  std::vector<core::Session> list(const std::optional<std::string>& user_id) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace companion::store::sqlite
