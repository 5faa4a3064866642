#pragma once
// Where characters are kept. Shared characters have owner 0; a user's edit of a shared
// character is stored as that user's own copy under the same id.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/characters/character.hpp"

namespace companion::core {

class CharacterRepository {
 public:
  virtual ~CharacterRepository() = default;
  // Exactly the owner's row (owner 0: the shared one).
  virtual std::optional<Character> find(std::int64_t owner_user_id, std::string_view id) = 0;
  virtual std::optional<Character> find_by_bot_id(std::string_view bot_id) = 0;
  virtual std::optional<Character> find_by_row(std::int64_t row_id) = 0;
  // The shared characters and the owner's own, ordered by row id.
  virtual std::vector<Character> list(std::int64_t owner_user_id) = 0;
  // Inserts (row_id 0) or updates the row of (owner, id); returns it as stored.
  virtual Character save(const Character& character) = 0;
  virtual bool remove(std::int64_t owner_user_id, std::string_view id) = 0;
};

}  // namespace companion::core
