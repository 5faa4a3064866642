#pragma once
// Authentication: finds the credential in any documented form (Authorization Bearer or
// Api-Key, X-API-Key, ?api_key=, ?token=, cookie api_key), checks it through the
// core::Authenticator port and attaches req.principal. Enforces the route's Access level:
// User routes answer 401 without a valid credential, Admin routes 403 for non-admins,
// Public routes attach a valid principal and ignore an invalid one.
#include <memory>
#include <optional>

#include "core/accounts/authenticator.hpp"
#include "http/middleware.hpp"

namespace companion::http {

class Authentication final : public Middleware {
 public:
  // open_mode: a request without any credential acts as the user it names (?user_id= or a
  // JSON body's user_id) or "default_user". Insecure; only for trusted networks.
  Authentication(std::shared_ptr<core::Authenticator> authenticator, bool open_mode)
      : authenticator_(std::move(authenticator)), open_mode_(open_mode) {}

  Response handle(Request& req, const Next& next) override;

  // The credential the request carries, if any, in the order the forms are documented.
  static std::optional<core::PresentedCredential> find_credential(const Request& req);
  static core::RequestOrigin origin_of(const Request& req);

 private:
  core::AuthOutcome authenticate(const Request& req);
  // Sets req.principal; an answer when the request must be refused.
  std::optional<Response> attach_principal(Request& req);
  std::shared_ptr<core::Authenticator> authenticator_;
  bool open_mode_;
};

}  // namespace companion::http
