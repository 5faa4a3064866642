#include <gtest/gtest.h>

#include "core/accounts/jwt_codec.hpp"
#include "core/accounts/secrets.hpp"

using namespace companion::core;

namespace {

JwtClaims claims_at(std::int64_t iat, std::int64_t ttl) {
  return JwtClaims{"john_doe", iat, iat + ttl, "jti-1"};
}

}  // namespace

TEST(AccountsJwt, RoundTripsClaims) {
  JwtCodec codec("secret-secret-secret-secret-secret");
  auto token = codec.encode(claims_at(1000, 60));
  auto decoded = codec.decode(token, 1010);
  ASSERT_TRUE(std::holds_alternative<JwtClaims>(decoded));
  auto& c = std::get<JwtClaims>(decoded);
  EXPECT_EQ(c.sub, "john_doe");
  EXPECT_EQ(c.exp, 1060);
  EXPECT_EQ(c.jti, "jti-1");
}

TEST(AccountsJwt, RejectsTamperedPayload) {
  JwtCodec codec("secret-secret-secret-secret-secret");
  auto token = codec.encode(claims_at(1000, 60));
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  std::string forged_payload = base64url_encode(R"({"sub":"admin","iat":1000,"exp":1060})");
  std::string forged = token.substr(0, first + 1) + forged_payload + token.substr(second);
  auto decoded = codec.decode(forged, 1010);
  ASSERT_TRUE(std::holds_alternative<JwtError>(decoded));
  EXPECT_EQ(std::get<JwtError>(decoded), JwtError::BadSignature);
}

TEST(AccountsJwt, RejectsOtherSecret) {
  auto token = JwtCodec("one-secret-one-secret-one-secret").encode(claims_at(1000, 60));
  auto decoded = JwtCodec("two-secret-two-secret-two-secret").decode(token, 1010);
  EXPECT_EQ(std::get<JwtError>(decoded), JwtError::BadSignature);
}

TEST(AccountsJwt, RejectsExpired) {
  JwtCodec codec("secret-secret-secret-secret-secret");
  auto token = codec.encode(claims_at(1000, 60));
  EXPECT_EQ(std::get<JwtError>(codec.decode(token, 1060)), JwtError::Expired);
  EXPECT_EQ(std::get<JwtError>(codec.decode(token, 5000)), JwtError::Expired);
}

TEST(AccountsJwt, RejectsAlgNone) {
  JwtCodec codec("secret-secret-secret-secret-secret");
  std::string header = base64url_encode(R"({"alg":"none","typ":"JWT"})");
  std::string payload = base64url_encode(R"({"sub":"admin","iat":1000,"exp":9999999999})");
  auto decoded = codec.decode(header + "." + payload + ".", 1010);
  ASSERT_TRUE(std::holds_alternative<JwtError>(decoded));
  EXPECT_NE(std::get<JwtError>(decoded), JwtError::Expired);
  // Also with a signature made with the right key: the algorithm alone is refused.
  std::string hs512 = base64url_encode(R"({"alg":"HS512","typ":"JWT"})");
  EXPECT_EQ(std::get<JwtError>(codec.decode(hs512 + "." + payload + ".abc", 1010)),
            JwtError::UnsupportedAlgorithm);
}

TEST(AccountsJwt, RejectsGarbage) {
  JwtCodec codec("secret-secret-secret-secret-secret");
  EXPECT_EQ(std::get<JwtError>(codec.decode("not-a-token", 0)), JwtError::Malformed);
  EXPECT_EQ(std::get<JwtError>(codec.decode("a.b.c", 0)), JwtError::Malformed);
  EXPECT_FALSE(JwtCodec::looks_like_jwt("ck_abcdef"));
}

TEST(AccountsJwt, Base64UrlRoundTrip) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00\x01"}) {
    auto back = base64url_decode(base64url_encode(s));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, s);
  }
  EXPECT_FALSE(base64url_decode("ab+/").has_value());
}
