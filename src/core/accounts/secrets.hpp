#pragma once
// Small cryptographic helpers the account code shares: hashing, constant-time comparison,
// randomness and base64url.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace companion::core {

// SHA-256 of the bytes, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);
// Compares two secrets in time that depends on neither their contents nor their lengths
// (both are hashed first, then the digests compared with a constant-time compare).
bool constant_time_equal(std::string_view a, std::string_view b);
// Cryptographically secure random bytes.
std::string random_bytes(std::size_t count);
// Random [0-9A-Za-z] text; each character carries log2(62) ≈ 5.95 bits.
std::string random_base62(std::size_t length);
std::string base64url_encode(std::string_view bytes);
// nullopt on any character outside the base64url alphabet or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace companion::core
