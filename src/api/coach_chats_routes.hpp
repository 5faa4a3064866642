#pragma once
// AI Coach's chats, /api/chats/ and /api/chats/{id}/: each stored turn of the user's coach
// sessions (the question and the reply, the reply's emotion, what the turn measured and
// which tools it used). The realtime socket stores them; POST imports one.
#include <memory>

#include "api/coach_deps.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_coach_chats_routes(http::Router& router, std::shared_ptr<CoachDeps> deps);

}  // namespace companion::api
