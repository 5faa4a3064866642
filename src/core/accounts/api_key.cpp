#include "core/accounts/api_key.hpp"

#include "core/accounts/secrets.hpp"

namespace companion::core {

namespace {
constexpr std::string_view key_marker = "ck_";
constexpr std::size_t key_body_length = 43;  // 43 × log2(62) ≈ 256 bits
constexpr std::size_t shown_prefix_length = 10;
}  // namespace

GeneratedApiKey generate_api_key() {
  GeneratedApiKey k;
  k.secret = std::string(key_marker) + random_base62(key_body_length);
  k.key_hash = sha256_hex(k.secret);
  k.prefix = k.secret.substr(0, shown_prefix_length);
  return k;
}

bool looks_like_api_key(std::string_view text) {
  return text.size() == key_marker.size() + key_body_length &&
         text.substr(0, key_marker.size()) == key_marker;
}

}  // namespace companion::core
