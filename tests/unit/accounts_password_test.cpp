#include <gtest/gtest.h>

#include "core/accounts/api_key.hpp"
#include "core/accounts/password_hasher.hpp"
#include "core/accounts/secrets.hpp"

using namespace companion::core;

TEST(AccountsPassword, VerifiesOnlyTheRightPassword) {
  PasswordHasher hasher(1, 8192);  // libsodium's minimum cost keeps the test quick
  auto hash = hasher.hash("SecurePass123!");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(hasher.verify(hash, "SecurePass123!"));
  EXPECT_FALSE(hasher.verify(hash, "SecurePass123"));
  EXPECT_FALSE(hasher.verify("", "SecurePass123!"));
  EXPECT_FALSE(hasher.verify("garbage", "SecurePass123!"));
}

TEST(AccountsPassword, SaltsEveryHash) {
  PasswordHasher hasher(1, 8192);
  EXPECT_NE(hasher.hash("same password"), hasher.hash("same password"));
}

TEST(AccountsPassword, HashesFromOtherCostsStillVerify) {
  auto hash = PasswordHasher(2, 16384).hash("SecurePass123!");
  EXPECT_TRUE(PasswordHasher(1, 8192).verify(hash, "SecurePass123!"));
}

TEST(AccountsApiKey, GeneratesDistinctHashedKeys) {
  auto a = generate_api_key();
  auto b = generate_api_key();
  EXPECT_NE(a.secret, b.secret);
  EXPECT_TRUE(looks_like_api_key(a.secret));
  EXPECT_EQ(a.key_hash, sha256_hex(a.secret));
  EXPECT_EQ(a.key_hash.size(), 64u);
  EXPECT_EQ(a.secret.rfind(a.prefix, 0), 0u);
  EXPECT_EQ(a.secret.find(a.key_hash), std::string::npos);
}

TEST(AccountsSecrets, ConstantTimeEqualComparesContents) {
  EXPECT_TRUE(constant_time_equal("root-key", "root-key"));
  EXPECT_FALSE(constant_time_equal("root-key", "root-kez"));
  EXPECT_FALSE(constant_time_equal("root-key", "root-key-longer"));
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
