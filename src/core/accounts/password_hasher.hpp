#pragma once
// argon2id password hashing (libsodium crypto_pwhash_str): the encoded hash carries its
// own salt and cost, so hashes made under other limits still verify.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace companion::core {

class PasswordHasher {
 public:
  // Limits below libsodium's minimums are raised to them.
  PasswordHasher(std::uint64_t ops_limit, std::size_t mem_limit);
  std::string hash(std::string_view password) const;
  bool verify(std::string_view encoded_hash, std::string_view password) const;

 private:
  std::uint64_t ops_limit_;
  std::size_t mem_limit_;
};

}  // namespace companion::core
