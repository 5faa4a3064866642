#pragma once
// API keys: a random secret shown once at creation, stored only as its SHA-256 hash,
// owned by a user, optionally limited by an allow-list.
#include <cstdint>
#include <optional>
#include <string>

#include "core/accounts/allow_list.hpp"

namespace companion::core {

struct ApiKeyRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string username;  // owner, for listings
  std::string name;
  std::string key_hash;  // SHA-256 hex of the key
  std::string prefix;    // first characters of the key, for recognising it in listings
  AllowList allow_list;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

// A freshly generated key: the secret (shown once) and what is stored about it.
struct GeneratedApiKey {
  std::string secret;  // "ck_" + 43 base62 characters (≈ 256 bits)
  std::string key_hash;
  std::string prefix;
};

GeneratedApiKey generate_api_key();
// True for text shaped like our keys; root keys and foreign keys may look different.
bool looks_like_api_key(std::string_view text);

}  // namespace companion::core
