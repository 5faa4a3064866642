#pragma once
// AI Friend's agents: GET /api/agents/status reports each stage of the turn pipeline as it
// ran (counted and timed), POST /api/agents/test runs one stage on an input.
#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_agent_status_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
