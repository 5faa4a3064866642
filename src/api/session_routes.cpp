#include "api/session_routes.hpp"

#include <boost/json.hpp>

#include "api/event_json.hpp"
#include "http/error.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

const core::Principal& caller(const http::Request& req) {
  if (!req.principal) throw http::HttpError(401, "Not authenticated");
  return *req.principal;
}

// The sessions the caller may see: an admin sees every session (or one user's, with
// ?user_id=); anyone else only their own.
std::vector<core::SessionState> visible_sessions(core::SessionRegistry& sessions,
                                                 const http::Request& req) {
  const core::Principal& who = caller(req);
  if (!who.is_admin()) return sessions.list(who.username);
  if (auto user = req.query("user_id"); user && !user->empty()) return sessions.list(*user);
  return sessions.list(std::nullopt);
}

http::Response list_sessions(core::SessionRegistry& sessions, http::Request& req) {
  json::object by_id;
  for (const auto& state : visible_sessions(sessions, req)) {
    by_id[state.session.id] = session_to_json(state);
  }
  json::object body{{"total", by_id.size()}, {"sessions", std::move(by_id)}};
  return http::Response::json(200, body);
}

http::Response close_session(const SessionRoutesDeps& deps, http::Request& req) {
  const core::Principal& who = caller(req);
  std::string id(req.param("session_id"));
  auto state = deps.sessions->find(id);
  // Another user's session is answered as absent: its existence is not the caller's business.
  if (!state || !who.may_act_for(state->session.user_id)) {
    throw http::HttpError(404, "Session not found");
  }
  deps.sessions->close(id);
  deps.bus->forget_session(id);
  json::object body{{"success", true}, {"message", "Session " + id + " closed"}};
  return http::Response::json(200, body);
}

http::Response event_stats(const SessionRoutesDeps& deps, http::Request& req) {
  core::EventCounters counters = deps.bus->counters();
  json::object by_type;
  for (const auto& [type, count] : counters.by_type) by_type[core::event_type_name(type)] = count;
  json::object active;
  std::int64_t connections = 0;
  for (const auto& state : visible_sessions(*deps.sessions, req)) {
    connections += state.open_sockets;
    active[state.session.id] = json::object{
        {"user_id", state.session.user_id},
        {"client_type", state.session.client_type},
        {"websocket_connected", state.open_sockets > 0},
        {"created_at", http::iso8601(state.session.created_at)},
    };
  }
  json::object body{{"total_events_emitted", counters.total},
                    {"events_by_type", std::move(by_type)},
                    {"active_connections", connections},
                    {"active_sessions", std::move(active)}};
  return http::Response::json(200, body);
}

}  // namespace

void register_session_routes(http::Router& router, SessionRoutesDeps deps) {
  http::Route list;
  list.method = http::Method::Get;
  list.pattern = "/api/sessions";
  list.access = http::Access::User;
  list.doc = {"List sessions (the caller's; every session for an admin)", "Sessions"};
  list.handler = [deps](http::Request& req) { return list_sessions(*deps.sessions, req); };
  router.add(std::move(list));

  http::Route close;
  close.method = http::Method::Delete;
  close.pattern = "/api/sessions/{session_id}";
  close.access = http::Access::User;
  close.doc = {"Close a session and its WebSocket connections", "Sessions"};
  close.doc.error_statuses = {404};
  close.handler = [deps](http::Request& req) { return close_session(deps, req); };
  router.add(std::move(close));

  http::Route stats;
  stats.method = http::Method::Get;
  stats.pattern = "/api/system/events/stats";
  stats.access = http::Access::User;
  stats.doc = {"Event bus statistics", "System"};
  stats.handler = [deps](http::Request& req) { return event_stats(deps, req); };
  router.add(std::move(stats));
}

}  // namespace companion::api
