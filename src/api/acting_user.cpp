#include "api/acting_user.hpp"

#include "http/error.hpp"

namespace companion::api {

core::Principal resolve_acting_user(core::AccountService& accounts, const http::Request& req,
                                    std::string_view named_user_id) {
  if (!req.principal) throw http::HttpError(401, "Not authenticated");
  auto acting = accounts.resolve_acting_user(*req.principal, named_user_id);
  if (acting.ok()) return std::move(*acting);
  if (acting.error() == core::AccountError::NotAllowed)
    throw http::HttpError(403, "Not allowed to act for another user");
  throw http::ValidationError({{{"body", "user_id"},
                                "string does not match regex \"^[A-Za-z0-9_.@-]{1,64}$\"",
                                "value_error.str.regex"}});
}

}  // namespace companion::api
