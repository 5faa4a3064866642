#include "core/accounts/jwt_codec.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/accounts/secrets.hpp"

namespace companion::core {

namespace json = boost::json;

namespace {

std::optional<json::object> decode_json_part(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*bytes, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::optional<std::int64_t> int_claim(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
  return std::nullopt;
}

std::optional<std::string> string_claim(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

}  // namespace

JwtCodec::JwtCodec(std::string secret) : secret_(std::move(secret)) {}

std::string JwtCodec::sign(std::string_view signing_input) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
       &length);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), length));
}

std::string JwtCodec::encode(const JwtClaims& claims) const {
  static const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  json::object payload{
      {"sub", claims.sub}, {"iat", claims.iat}, {"exp", claims.exp}, {"jti", claims.jti}};
  std::string input = header + "." + base64url_encode(json::serialize(payload));
  return input + "." + sign(input);
}

bool JwtCodec::looks_like_jwt(std::string_view token) {
  auto first = token.find('.');
  if (first == std::string_view::npos || first == 0) return false;
  auto second = token.find('.', first + 1);
  return second != std::string_view::npos && second > first + 1 &&
         token.find('.', second + 1) == std::string_view::npos;
}

std::variant<JwtClaims, JwtError> JwtCodec::decode(std::string_view token, std::int64_t now) const {
  if (!looks_like_jwt(token)) return JwtError::Malformed;
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  auto header = decode_json_part(token.substr(0, first));
  if (!header) return JwtError::Malformed;
  auto alg = string_claim(*header, "alg");
  if (!alg || *alg != "HS256") return JwtError::UnsupportedAlgorithm;

  std::string expected = sign(token.substr(0, second));
  std::string_view given = token.substr(second + 1);
  if (expected.size() != given.size() ||
      CRYPTO_memcmp(expected.data(), given.data(), given.size()) != 0)
    return JwtError::BadSignature;

  auto payload = decode_json_part(token.substr(first + 1, second - first - 1));
  if (!payload) return JwtError::Malformed;
  JwtClaims claims;
  auto sub = string_claim(*payload, "sub");
  auto exp = int_claim(*payload, "exp");
  if (!sub || !exp) return JwtError::Malformed;
  claims.sub = *sub;
  claims.exp = *exp;
  claims.iat = int_claim(*payload, "iat").value_or(0);
  claims.jti = string_claim(*payload, "jti").value_or("");
  if (claims.exp <= now) return JwtError::Expired;
  return claims;
}

}  // namespace companion::core
