#include "api/voice_ws.hpp"

#include "api/acting_user.hpp"

#include "core/sessions/session_id.hpp"
#include "http/error.hpp"

namespace companion::api {

namespace {

constexpr std::size_t client_type_limit = 64;

std::shared_ptr<http::WebSocketHandler> refuse(std::string message) {
  return std::make_shared<RefusedVoiceConnection>(std::move(message));
}

bool is_websocket_upgrade(const http::Request& req) {
  auto upgrade = req.headers.get("Upgrade");
  return upgrade && http::iequals(*upgrade, "websocket");
}

// Who the connection acts for: the user it names (an admin may name anyone, others only
// themselves), or the principal's own user.
std::string acting_user(const http::Request& req) {
  if (auto named = req.query("user_id"); named && !named->empty()) return *named;
  // The root key is nobody's account: like an anonymous client of the document, it acts
  // for "default_user".
  if (req.principal->user_id != 0 && !req.principal->username.empty())
    return req.principal->username;
  return "default_user";
}

// Authenticates, claims the session and builds the connection; every refusal is
// answered after the handshake with the document's error frame and close code 1008.
std::shared_ptr<http::WebSocketHandler> open_connection(const VoiceWsDeps& deps,
                                                        http::Request& req) {
  if (!req.principal) return refuse("Authentication required");
  std::string user_id = acting_user(req);
  if (!core::is_valid_user_id(user_id)) return refuse("Invalid user_id");
  if (!req.principal->may_act_for(user_id)) return refuse("Not allowed to act for " + user_id);
  if (deps.accounts) {
    try {
      resolve_acting_user(*deps.accounts, req, user_id);
    } catch (const http::HttpError& error) {
      return refuse(error.what());
    }
  }
  std::string client_type = req.query("client_type").value_or("unknown");
  if (client_type.empty()) client_type = "unknown";
  if (client_type.size() > client_type_limit) return refuse("Invalid client_type");

  std::string requested = req.query("session_id").value_or("");
  core::SessionClaim claim = deps.sessions->claim(user_id, requested, client_type);
  switch (claim.outcome) {
    case core::ClaimOutcome::InvalidId:
      return refuse("Invalid session_id");
    case core::ClaimOutcome::OwnedByAnotherUser:
      return refuse("Session belongs to another user");
    case core::ClaimOutcome::Created:
      // A new session starts with no past, even if an old one used the same id.
      deps.bus->forget_session(claim.session.id);
      break;
    case core::ClaimOutcome::Joined:
      break;
  }
  VoiceClient client{claim.session.id, user_id, client_type, *req.principal, {}};
  return std::make_shared<VoiceConnection>(deps, std::move(claim), std::move(client));
}

}  // namespace

void register_voice_ws_route(http::Router& router, VoiceWsDeps deps) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = "/ws";
  // The route checks the principal itself so that a refusal is the document's WebSocket
  // error frame rather than an HTTP 401.
  route.access = http::Access::Public;
  route.websocket = true;
  route.doc = {"Voice Assistant WebSocket: events, ping, subscriptions", "WebSocket",
               "Query: session_id (optional), user_id, client_type. Client messages: ping, "
               "subscribe, unsubscribe and the registered message types."};
  route.handler = [deps = std::move(deps)](http::Request& req) {
    if (!is_websocket_upgrade(req)) {
      throw http::HttpError(400, "This endpoint needs a WebSocket upgrade");
    }
    return http::Response::upgrade(open_connection(deps, req));
  };
  router.add(std::move(route));
}

}  // namespace companion::api
