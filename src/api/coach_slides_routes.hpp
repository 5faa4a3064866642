#pragma once
// AI Coach's slides, /api/slides/ and /api/slides/{id}/: Editor.js decks on the user's
// coach sessions, written by the engine when the user asks for slides or by clients.
#include <memory>

#include "api/coach_deps.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_coach_slides_routes(http::Router& router, std::shared_ptr<CoachDeps> deps);

}  // namespace companion::api
