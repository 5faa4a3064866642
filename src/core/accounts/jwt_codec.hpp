#pragma once
// JSON Web Tokens, HS256 only (RFC 7519 / 7518): what AI Friend's register and login hand
// out. Any other "alg" (including "none") is refused, whatever the signature says.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace companion::core {

struct JwtClaims {
  std::string sub;  // username
  std::int64_t iat = 0;
  std::int64_t exp = 0;
  std::string jti;
};

enum class JwtError { Malformed, UnsupportedAlgorithm, BadSignature, Expired };

class JwtCodec {
 public:
  explicit JwtCodec(std::string secret);
  std::string encode(const JwtClaims& claims) const;
  // Verifies structure, algorithm, signature and expiry at `now` (unix seconds).
  std::variant<JwtClaims, JwtError> decode(std::string_view token, std::int64_t now) const;
  // True when the text has the shape of a JWT (three base64url parts), so a Bearer
  // credential can be told apart from an API key without trying both.
  static bool looks_like_jwt(std::string_view token);

 private:
  std::string sign(std::string_view signing_input) const;
  std::string secret_;
};

}  // namespace companion::core
