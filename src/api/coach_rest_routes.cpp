#include "api/coach_rest_routes.hpp"

#include "api/coach_agents_routes.hpp"
#include "api/coach_chats_routes.hpp"
#include "api/coach_sessions_routes.hpp"
#include "api/coach_slides_routes.hpp"

namespace companion::api {

void register_coach_rest_routes(http::Router& router, std::shared_ptr<CoachDeps> deps) {
  register_coach_agents_routes(router, deps);    // /api/agents/, /api/agents/{id}/
  register_coach_sessions_routes(router, deps);  // /api/sessions/, /api/sessions/{id}/
  register_coach_chats_routes(router, deps);     // /api/chats/, /api/chats/{id}/
  register_coach_slides_routes(router, deps);    // /api/slides/, /api/slides/{id}/
}

}  // namespace companion::api
