#pragma once
// Seals the personal tier's content at rest (libsodium secretbox: XSalsa20-Poly1305 with a
// random nonce per memory) and fingerprints content for duplicate detection with a keyed
// hash, so that neither the text nor a plain hash of it is in the database file.
#include <optional>
#include <string>
#include <string_view>

namespace companion::core {

class ContentCipher {
 public:
  // The key is derived from the secret text (any length) with BLAKE2b-256.
  explicit ContentCipher(std::string_view secret);

  // nonce || ciphertext
  std::string seal(std::string_view plaintext) const;
  // nullopt when the bytes were not sealed with this key or were altered.
  std::optional<std::string> open(std::string_view sealed) const;
  // Keyed BLAKE2b of the text as hex.
  std::string fingerprint(std::string_view text) const;

 private:
  std::string key_;
};

}  // namespace companion::core
