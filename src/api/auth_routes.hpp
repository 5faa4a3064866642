#pragma once
// AI Friend's authentication: register, login, logout (JWT bearer tokens).
#include <memory>

#include "core/accounts/account_service.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_auth_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts);

}  // namespace companion::api
