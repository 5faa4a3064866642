#pragma once
// Characters on SQLite: one `characters` row per (owner, id), owner 0 for the shared ones.
// Traits, interests and capabilities are kept as JSON text. A user's own characters go
// with the user (a trigger on `users`).
#include <memory>

#include "core/characters/character_repository.hpp"
#include "store/sqlite/database.hpp"

namespace companion::store::sqlite {

class SqliteCharacterRepository final : public core::CharacterRepository {
 public:
  explicit SqliteCharacterRepository(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::optional<core::Character> find(std::int64_t owner_user_id, std::string_view id) override;
  std::optional<core::Character> find_by_bot_id(std::string_view bot_id) override;
  std::optional<core::Character> find_by_row(std::int64_t row_id) override;
  // A shared character the owner has a copy of is listed once, as the owner's copy: that
  // copy is the user's edit of it.
  std::vector<core::Character> list(std::int64_t owner_user_id) override;
  // The row is the one of (owner, id), whatever row_id says, so saving an edited shared
  // character under a user's id makes that user's copy. created_at is kept from the first
  // save. An empty bot_id is stored as none; a bot_id another row has throws DatabaseError.
  core::Character save(const core::Character& character) override;
  bool remove(std::int64_t owner_user_id, std::string_view id) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace companion::store::sqlite
