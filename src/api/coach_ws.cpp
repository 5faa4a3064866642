#include "api/coach_ws.hpp"

#include <regex>

#include "api/coach_ws_connection.hpp"
#include "core/characters/character_service.hpp"
#include "http/error.hpp"

namespace companion::api {

namespace {

// The document's close codes.
namespace coach_close {
constexpr std::uint16_t missing_params = 4000;
constexpr std::uint16_t auth_failed = 4403;
constexpr std::uint16_t agent_not_found = 4004;
constexpr std::uint16_t bad_thread = 4005;
}  // namespace coach_close

constexpr std::size_t max_language = 16;

std::shared_ptr<http::WebSocketHandler> refuse(std::uint16_t code, std::string message) {
  return std::make_shared<RefusedCoachConnection>(code, std::move(message));
}

bool is_websocket_upgrade(const http::Request& req) {
  auto upgrade = req.headers.get("Upgrade");
  return upgrade && http::iequals(*upgrade, "websocket");
}

bool is_thread_id(const std::string& id) {
  static const std::regex pattern("^user_[0-9a-f]{16}$");
  return std::regex_match(id, pattern);
}

std::string query_or_empty(const http::Request& req, std::string_view name) {
  return req.query(name).value_or("");
}

// Checks the key, the parameters, the agent and the thread in the document's order and
// answers each failure with its close code; builds the connection when all pass. Runs on
// a worker (the route is not inline), so it may read the store.
std::shared_ptr<http::WebSocketHandler> open_connection(CoachDeps& deps, http::Request& req) {
  // The authentication middleware attaches a principal only for a valid key whose
  // origin/host/IP allow-list passes; the route is public so that a refusal is a close code.
  if (!req.principal)
    return refuse(coach_close::auth_failed,
                  "Authentication failed: a valid API key from an allowed origin, host or IP "
                  "is required");
  std::string bot_id = query_or_empty(req, "bot_id");
  std::string thread_id = query_or_empty(req, "thread_id");
  if (bot_id.empty() || thread_id.empty())
    return refuse(coach_close::missing_params,
                  "Missing required query parameters: bot_id and thread_id");
  if (!is_thread_id(thread_id))
    return refuse(coach_close::bad_thread, "Invalid thread_id: it must match ^user_[0-9a-f]{16}$");

  core::Principal user;
  try {
    user = chat_user(*deps.chat, req, query_or_empty(req, "user_id"));
  } catch (const http::HttpError& error) {
    return refuse(coach_close::auth_failed, error.what());
  }

  auto agent = deps.chat->characters->resolve_bot(bot_id);
  bool visible = agent && (agent->owner_user_id == 0 || agent->owner_user_id == user.user_id);
  if (!visible || !agent->active)
    return refuse(coach_close::agent_not_found, "Agent not found or inactive");

  // A thread is the client's own session: opened on first use, refused when it is
  // someone else's.
  try {
    auto session = deps.chat->turns->conversations().open(
        user.user_id, thread_id, std::string(coach_client_type), agent->id);
    (void)session;
  } catch (const core::TurnRefused&) {
    return refuse(coach_close::bad_thread, "Session not found");
  }

  std::string language = query_or_empty(req, "website_language");
  if (language.empty() || language.size() > max_language) language = "en";
  CoachClient client{std::move(user), std::move(*agent), std::move(thread_id), std::move(language)};
  return std::make_shared<CoachConnection>(deps, std::move(client));
}

}  // namespace

void register_coach_ws_route(http::Router& router, std::shared_ptr<CoachDeps> deps) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = "/ws/chat/";
  route.access = http::Access::Public;
  route.websocket = true;
  route.doc = {
      "AI Coach realtime chat (WebSocket)", "AI Coach",
      "Query: bot_id (the agent's UUID), thread_id (^user_[0-9a-f]{16}$, the session; opened "
      "on first use), website_language, api_key (or the Authorization: Api-Key header or the "
      "api_key cookie). Client messages: text_query {text, local_time, muteAudio}, "
      "audio_query (not available yet: answered with an error), mute_audio, unmute_audio, "
      "stop_audio (cancels the running reply), ping. Server frames: connected, text_query "
      "(echo), response_start, text_token, text_sentence {text, emotion.items, local_time}, "
      "slides_response {slides {title, summary, editorjs}}, slides_done, response_done "
      "{timings {prepare_ms, run_ms, total_ms, ws_total_sec}}, response_ended, audio_muted, "
      "stop_audio, pong, error {message}. One reply at a time: a new query cancels the running "
      "one. Inbound messages above 20 per second are dropped. Close codes: 4000 missing "
      "parameters, 4403 authentication failed, 4004 agent not found or inactive, 4005 invalid "
      "thread_id or session not found."};
  route.handler = [deps = std::move(deps)](http::Request& req) {
    if (!is_websocket_upgrade(req))
      throw http::HttpError(400, "This endpoint needs a WebSocket upgrade");
    return http::Response::upgrade(open_connection(*deps, req));
  };
  router.add(std::move(route));
}

}  // namespace companion::api
