#pragma once
// AI Friend's chat: POST /api/chat/send, GET /api/chat/stream (SSE), GET /api/chat/history,
// DELETE /api/chat/clear (the WebSocket is friend_chat_ws). Each user has a current
// conversation; clearing it starts a new one.
#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_friend_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
