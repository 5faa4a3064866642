#pragma once
// AI Coach's sessions, /api/sessions/ and /api/sessions/{id}/: the user's coach
// conversations, each a thread_id (user_ + 16 hex) tied to an agent. Not to be confused
// with the Voice Assistant's /api/sessions (no trailing slash), a different route.
#include <memory>

#include "api/coach_deps.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_coach_sessions_routes(http::Router& router, std::shared_ptr<CoachDeps> deps);

}  // namespace companion::api
