#pragma once
// Long-term memory over HTTP: AI Friend's /api/memory/save|search|{memory_id}|stats|tiers
// and Voice Assistant's /api/memory/facts views of the same memories, every call scoped to
// the user the request acts for.
#include <memory>

#include "core/accounts/account_service.hpp"
#include "core/memory/memory_service.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_memory_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts,
                            std::shared_ptr<core::MemoryService> memory);

}  // namespace companion::api
