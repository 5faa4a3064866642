#include "core/accounts/password_hasher.hpp"

#include <algorithm>
#include <stdexcept>

#include <sodium.h>

namespace companion::core {

PasswordHasher::PasswordHasher(std::uint64_t ops_limit, std::size_t mem_limit)
    : ops_limit_(std::max<std::uint64_t>(ops_limit, crypto_pwhash_OPSLIMIT_MIN)),
      mem_limit_(std::max<std::size_t>(mem_limit, crypto_pwhash_MEMLIMIT_MIN)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit_, mem_limit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return std::string(out);
}

bool PasswordHasher::verify(std::string_view encoded_hash, std::string_view password) const {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string terminated(encoded_hash);  // crypto_pwhash_str_verify wants a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace companion::core
