#pragma once
// AI Coach's REST resources (DRF-style viewsets under /api/): agents, sessions, chats and
// slides, each with list / create / retrieve / update / partial update / destroy.
#include <memory>

#include "api/coach_deps.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_coach_rest_routes(http::Router& router, std::shared_ptr<CoachDeps> deps);

}  // namespace companion::api
