#pragma once
// Chattr's chat: POST /api/v1/chat/message (one whole turn), GET and DELETE
// /api/v1/chat/history/{session_id}. A session is the client's own id for a conversation
// in the one conversation store; another user's session answers exactly like a missing one.
#include <memory>

#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_chattr_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
