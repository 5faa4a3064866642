#include "core/accounts/auth_failure.hpp"

namespace companion::core {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

std::string AuthFailure::message() const {
  switch (reason) {
    case AuthFailureReason::Missing:
      return "Not authenticated: no credential was sent";
    case AuthFailureReason::Malformed:
      return "Invalid credential: malformed token or API key";
    case AuthFailureReason::BadSignature:
      return "Invalid token: signature verification failed";
    case AuthFailureReason::Expired:
      return "Token has expired";
    case AuthFailureReason::Revoked:
      return "Credential has been revoked";
    case AuthFailureReason::UnknownKey:
      return "Invalid API key";
    case AuthFailureReason::UnknownUser:
      return "User no longer exists";
    case AuthFailureReason::AllowListMiss:
      return "API key is valid but the request is not allowed: failed checks: " +
             join(failed_checks);
  }
  return "Not authenticated";
}

}  // namespace companion::core
