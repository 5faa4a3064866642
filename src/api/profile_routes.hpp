#pragma once
// AI Friend's profile endpoints: read, update and delete a user's profile (own, or any
// for an admin).
#include <memory>

#include "core/accounts/account_service.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_profile_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts);

}  // namespace companion::api
