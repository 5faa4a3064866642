#pragma once
// Whom a request acts for. Voice Assistant requests name a user_id; only an admin (or the
// root key) may name someone other than itself. Chat endpoints call this.
#include <string_view>

#include "core/accounts/account_service.hpp"
#include "http/request.hpp"

namespace companion::api {

// The principal the request acts as: its own for an empty or its own name; for an admin,
// the named user (created on first use). Throws HttpError 401 without a principal, 403
// "Not allowed to act for another user", 422 for a name that cannot be a username.
core::Principal resolve_acting_user(core::AccountService& accounts, const http::Request& req,
                                    std::string_view named_user_id);

}  // namespace companion::api
