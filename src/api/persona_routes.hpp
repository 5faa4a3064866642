#pragma once
// AI Friend's persona: GET /api/persona/get, POST /api/persona/update, POST
// /api/persona/reset. The persona is the user's view of the "friend" character: an update
// makes the user's own copy and changes no one else's companion.
#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_persona_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
