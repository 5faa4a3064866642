#pragma once
// API key administration: create (the key is shown once), list (no secrets), revoke.
#include <memory>

#include "core/accounts/account_service.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_key_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts);

}  // namespace companion::api
