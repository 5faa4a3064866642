#pragma once
// The port the HTTP layer authenticates through. AccountService implements it; tests may
// plug in a fake.
#include <optional>
#include <string_view>
#include <variant>

#include "core/accounts/auth_failure.hpp"
#include "core/accounts/credential.hpp"
#include "core/accounts/principal.hpp"

namespace companion::core {

using AuthOutcome = std::variant<Principal, AuthFailure>;

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Checks a credential; cheap on the hot path (caches), may touch storage on a miss.
  virtual AuthOutcome authenticate(const PresentedCredential& credential,
                                   const RequestOrigin& origin) = 0;
  // The principal for a user named without a credential ("open" auth mode), created on
  // first use; nullopt when the name is not a valid username.
  virtual std::optional<Principal> open_principal(std::string_view username) = 0;
  // Called once per authenticated request; implementations rate-limit their own writes.
  virtual void note_activity(const Principal& principal) = 0;
};

}  // namespace companion::core
