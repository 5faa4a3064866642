#pragma once
// AI Coach's realtime chat, GET /ws/chat/?bot_id=&thread_id=&website_language=&api_key=.
#include <memory>

#include "api/coach_deps.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_coach_ws_route(http::Router& router, std::shared_ptr<CoachDeps> deps);

}  // namespace companion::api
