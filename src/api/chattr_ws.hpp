#pragma once
// Chattr's WebSocket, /api/v1/ws/chat: the route and the checks of the upgrade request.
// The protocol itself is ChattrConnection's (api/chattr_ws_connection.hpp).
#include <memory>

#include "api/chat_support.hpp"
#include "http/router.hpp"

namespace companion::api {

// `inbound_messages_per_second` bounds each connection's messages (0: unbounded); the
// excess is answered with RATE_LIMIT_EXCEEDED and dropped.
void register_chattr_ws(http::Router& router, std::shared_ptr<ChatDeps> deps,
                        double inbound_messages_per_second);

}  // namespace companion::api
