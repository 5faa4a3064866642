#pragma once
// A user account and the profile that the AI Friend API shows and edits.
#include <cstdint>
#include <optional>
#include <string>

#include "core/accounts/principal.hpp"

namespace companion::core {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string email;
  std::string name;
  std::string password_hash;  // empty: the user cannot log in with a password
  Role role = Role::User;
  std::int64_t created_at = 0;  // unix seconds
  std::optional<std::int64_t> last_active;
};

struct NewUser {
  std::string username;
  std::string email;
  std::string name;
  std::string password_hash;
  Role role = Role::User;
};

// Free-form documents, kept as JSON text: core stores and returns them, the API layer
// parses and validates them.
struct UserProfile {
  std::string preferences_json = "{}";
  std::string personality_traits_json = "{}";
  std::string interests_json = "[]";
};

struct ProfileUpdate {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> preferences_json;
  std::optional<std::string> personality_traits_json;
  std::optional<std::string> interests_json;
};

struct UserActivityCounts {
  std::int64_t conversations = 0;  // sessions
  std::int64_t messages = 0;
};

// What deleting a user removed, counted as it was deleted.
struct DeletedUserData {
  std::int64_t conversations = 0;
  std::int64_t messages = 0;
  std::int64_t memories = 0;
};

}  // namespace companion::core
