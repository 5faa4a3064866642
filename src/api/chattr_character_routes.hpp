#pragma once
// Chattr's characters: GET /api/v1/characters, GET and PUT /api/v1/characters/{id}. A
// character is the same entity as AI Friend's persona and AI Coach's agent; a user's update
// is stored as that user's own copy and changes no one else's character.
#include <memory>

#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_chattr_character_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
