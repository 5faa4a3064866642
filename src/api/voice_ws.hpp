#pragma once
// The Voice Assistant WebSocket, GET /ws.
#include "api/voice_ws_connection.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_voice_ws_route(http::Router& router, VoiceWsDeps deps);

}  // namespace companion::api
