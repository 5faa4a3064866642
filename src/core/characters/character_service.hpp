#pragma once
// Characters as each user sees them: the shared ones (seeded at first start: the "friend"
// persona, Chattr's "assistant" and "creative", the AI Coach agent), shadowed by the user's
// own copy once the user edits one. An edit by one user never changes another's companion.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/characters/character_repository.hpp"

namespace companion::core {

inline constexpr std::string_view default_persona_id = "friend";
inline constexpr std::string_view default_chattr_character_id = "assistant";
inline constexpr std::string_view default_coach_agent_id = "coach";

class CharacterService {
 public:
  using UnixClock = std::function<std::int64_t()>;
  explicit CharacterService(std::shared_ptr<CharacterRepository> repository, UnixClock clock = {});

  // Stores the built-in characters that are missing (a restart keeps edits and bot ids).
  void seed_defaults();

  // The user's copy when there is one, else the shared character.
  std::optional<Character> resolve(std::int64_t user_id, std::string_view id);
  std::optional<Character> resolve_bot(std::string_view bot_id);
  std::optional<Character> resolve_row(std::int64_t row_id);
  // Shared characters with the user's own copies in their place.
  std::vector<Character> list(std::int64_t user_id);

  // Applies `edit` to the user's view of the character and stores the result as the user's
  // own copy. Nullopt when there is no such character.
  std::optional<Character> update_for_user(std::int64_t user_id, std::string_view id,
                                           const std::function<void(Character&)>& edit);
  // Drops the user's copy; returns the shared character now in effect.
  std::optional<Character> reset_for_user(std::int64_t user_id, std::string_view id);
  // A new character owned by the user (or shared when user_id is 0).
  Character create(Character character);
  bool remove(std::int64_t user_id, std::string_view id);

  static std::vector<Character> built_in();

 private:
  std::shared_ptr<CharacterRepository> repository_;
  UnixClock clock_;
};

}  // namespace companion::core
