#include "api/chattr_ws.hpp"

#include "api/chattr_ws_connection.hpp"
#include "http/error.hpp"
#include "http/middleware/authentication.hpp"

namespace companion::api {

namespace {

bool is_websocket_upgrade(const http::Request& req) {
  auto upgrade = req.headers.get("Upgrade");
  return upgrade && http::iequals(*upgrade, "websocket");
}

// A credential on the upgrade request (Authorization, ?token=, ?api_key=, …) authenticates
// the socket at once, so its "auth" message is optional. One that fails refuses the
// connection: the error frame, then close 1008. Runs on a worker (the route is not inline),
// so it may read the store.
std::shared_ptr<http::WebSocketHandler> open_connection(const std::shared_ptr<ChatDeps>& deps,
                                                        const http::Request& req,
                                                        double inbound_messages_per_second) {
  ChattrUpgrade upgrade;
  upgrade.origin = http::Authentication::origin_of(req);
  upgrade.acting_for = req.query("user_id").value_or("");
  if (req.principal) {
    ChattrAuthRequest request{upgrade.acting_for, req.query("session_id").value_or("")};
    upgrade.authenticated = admit_chattr_principal(*deps, *req.principal, request);
  } else if (http::Authentication::find_credential(req)) {
    return std::make_shared<RefusedChattrConnection>("UNAUTHORIZED",
                                                     "Authentication failed: invalid credential");
  }
  return std::make_shared<ChattrConnection>(deps, std::move(upgrade), inbound_messages_per_second);
}

}  // namespace

void register_chattr_ws(http::Router& router, std::shared_ptr<ChatDeps> deps,
                        double inbound_messages_per_second) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = "/api/v1/ws/chat";
  // Credentials usually come in the first message, so the upgrade needs none; the route
  // checks one that is sent itself, so that a refusal is an error frame and close 1008
  // rather than an HTTP 401 before the upgrade.
  route.access = http::Access::Public;
  route.rate_group = "chat";
  route.websocket = true;
  route.doc = {
      "Chattr chat WebSocket", "Chattr",
      "First message: {\"type\": \"auth\", \"token\": <API key or JWT>, \"session_id\"} "
      "(optional when the upgrade request carries a credential: Authorization, ?token=, "
      "?api_key=; then ?session_id= names the session). The server answers "
      "{\"type\": \"authenticated\", \"session_id\"} (a new session when none was named). "
      "Then {\"type\": \"message\", \"character_id\", \"content\", \"metadata\": {\"user_name\", "
      "\"stream\"}} is answered with {\"type\": \"typing\", \"is_typing\": true}, "
      "{\"type\": \"response\", \"character_id\", \"content\", \"timestamp\", \"media\"} and "
      "typing false; metadata.stream true adds {\"type\": \"token\", \"content\"} frames with "
      "the reply's pieces as they are written. One reply at a time; reconnecting to the "
      "session while it is written shows it. Errors: {\"type\": \"error\", \"code\", "
      "\"message\"} with INVALID_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, "
      "RATE_LIMIT_EXCEEDED (+ retry_after_seconds), INTERNAL_ERROR, SERVICE_UNAVAILABLE. A "
      "failed authentication, or any other message before it, closes with 1008; other "
      "errors leave the socket open."};
  route.handler = [deps = std::move(deps), inbound_messages_per_second](http::Request& req) {
    if (!is_websocket_upgrade(req))
      throw http::HttpError(400, "This endpoint needs a WebSocket upgrade");
    return http::Response::upgrade(open_connection(deps, req, inbound_messages_per_second));
  };
  router.add(std::move(route));
}

}  // namespace companion::api
