#pragma once
// AI Coach's agents, /api/agents/ and /api/agents/{id}/: the characters every dialect
// shares (an agent is a persona and a Chattr character), by numeric id.
#include <memory>

#include "api/coach_deps.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_coach_agents_routes(http::Router& router, std::shared_ptr<CoachDeps> deps);

}  // namespace companion::api
