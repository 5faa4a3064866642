#include "core/memory/content_cipher.hpp"

#include <sodium.h>

#include <stdexcept>

namespace companion::core {

namespace {

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

}  // namespace

ContentCipher::ContentCipher(std::string_view secret) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
  if (secret.empty()) throw std::invalid_argument("the memory key is empty");
  key_.resize(crypto_secretbox_KEYBYTES);
  crypto_generichash(bytes(key_), key_.size(), bytes(secret), secret.size(), nullptr, 0);
}

std::string ContentCipher::seal(std::string_view plaintext) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  unsigned char* nonce = bytes(out);
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, bytes(plaintext), plaintext.size(),
                        nonce, bytes(key_));
  return out;
}

std::optional<std::string> ContentCipher::open(std::string_view sealed) const {
  constexpr std::size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < overhead) return std::nullopt;
  std::string out(sealed.size() - overhead, '\0');
  const unsigned char* nonce = bytes(sealed);
  if (crypto_secretbox_open_easy(bytes(out), nonce + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
                                 bytes(key_)) != 0)
    return std::nullopt;
  return out;
}

std::string ContentCipher::fingerprint(std::string_view text) const {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, bytes(text), text.size(), bytes(key_), key_.size());
  std::string hex(sizeof digest * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();
  return hex;
}

}  // namespace companion::core
