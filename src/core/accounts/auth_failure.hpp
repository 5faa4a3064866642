#pragma once
// Why a credential was refused, typed so that the HTTP layer can choose the status and
// say something useful (AI Coach: "permission failures include both API-key and
// origin/host/IP checks").
#include <string>
#include <vector>

namespace companion::core {

enum class AuthFailureReason {
  Missing,        // no credential at all
  Malformed,      // not a JWT nor an API key we could read
  BadSignature,   // a JWT whose signature does not verify
  Expired,        // a JWT past its exp
  Revoked,        // a JWT after logout, or a revoked API key
  UnknownKey,     // an API key nobody owns
  UnknownUser,    // a valid token for a user that no longer exists
  AllowListMiss,  // a valid API key used from an origin/host/IP it is not allowed from
};

struct AuthFailure {
  AuthFailureReason reason = AuthFailureReason::Missing;
  std::vector<std::string> failed_checks;  // AllowListMiss: "origin", "host", "ip"

  // 401 for a missing or bad credential, 403 for a good key used where it is not allowed.
  bool is_forbidden() const { return reason == AuthFailureReason::AllowListMiss; }
  std::string message() const;
};

}  // namespace companion::core
