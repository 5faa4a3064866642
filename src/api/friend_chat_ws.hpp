#pragma once
// AI Friend's WebSocket chat, /api/chat/ws/{user_id}?token=<jwt>. {user_id} is the
// signed-in user's username (an admin or the root key may name another user). Each text
// frame {"message", "timestamp"?, "session_id"?, "save_to_memory"?} runs one turn in the
// user's current AI Friend conversation — the one POST /api/chat/send continues — and is
// answered with {"response", "emotion", "processing_time", "timestamp", "session_id",
// "turn_id", "memories_used", "facts_remembered"}. Messages sent while a reply is being
// written wait (up to 8) and are answered in order. With ?stream=true the reply's pieces
// come first, as {"type": "token", "token", "event_id"} frames.
//
// A bad frame is answered with the API's error body {"detail", "code", "status_code",
// "timestamp"} and the socket stays open. A connection without a valid credential, or one
// naming another user, receives that body and is closed with 1008 (policy violation).
//
// `inbound_messages_per_second` bounds each connection's frames (0: unbounded); the excess
// is answered with RATE_LIMIT_EXCEEDED and dropped.
#include <memory>

#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_friend_chat_ws(http::Router& router, std::shared_ptr<ChatDeps> deps,
                             double inbound_messages_per_second);

}  // namespace companion::api
