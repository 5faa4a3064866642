#pragma once
// The Voice Assistant's chat: POST /api/chat, POST /api/chat/stream (SSE, one word per
// event), GET /api/conversations (turns as rows) and the "chat" message of the /ws
// WebSocket. A Voice Assistant session is a conversation of the store: the same id names
// both, whichever way the client talks to it.
#include <memory>

#include "api/chat_support.hpp"
#include "api/voice_messages.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_voice_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps);

// The /ws "chat" message: runs a turn in the connection's session and answers
// "chat_response" when it is over. Never blocks the network thread it is called on.
VoiceMessageHandler voice_chat_message_handler(std::shared_ptr<ChatDeps> deps);

}  // namespace companion::api
