#include "api/event_stream_routes.hpp"

#include <boost/json/serialize.hpp>

#include "api/event_json.hpp"
#include "core/events/session_feed.hpp"
#include "http/error.hpp"
#include "http/json_text.hpp"

namespace companion::api {

namespace {

http::SseEvent to_sse(const core::Event& event) {
  return http::SseEvent{std::string(core::event_type_name(event.type)),
                        http::to_json_text(event_to_json(event)), event.id, 0};
}

// ?events=MUSIC_PLAY,MESSAGE_RECEIVED narrows the stream; absent or empty: every type.
std::set<core::EventType> requested_types(const http::Request& req) {
  std::set<core::EventType> types;
  auto list = req.query("events");
  if (!list) return types;
  std::string_view rest = *list;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (name.empty()) continue;
    auto type = core::parse_event_type(name);
    if (!type) {
      throw http::ValidationError(
          {{{"query", "events"}, "unknown event type: " + std::string(name), "value_error"}});
    }
    types.insert(*type);
  }
  return types;
}

std::optional<std::string> last_event_id(const http::Request& req) {
  if (auto header = req.headers.get("Last-Event-ID")) return std::string(*header);
  return req.query("last_event_id");
}

http::Response open_stream(const std::shared_ptr<core::EventBus>& bus,
                           core::SessionRegistry& sessions, http::Request& req) {
  if (!req.principal) throw http::HttpError(401, "Not authenticated");
  const core::Principal& who = *req.principal;
  std::string user_id = req.query("user_id").value_or(who.username);
  if (!who.may_act_for(user_id)) throw http::HttpError(403, "Not allowed to act for " + user_id);

  core::EventFilter filter{user_id, "", requested_types(req), true};
  std::optional<std::string> replay_after;
  if (auto session_id = req.query("session_id"); session_id && !session_id->empty()) {
    auto state = sessions.find(*session_id);
    if (!state || state->session.user_id != user_id) {
      throw http::HttpError(404, "Session not found");
    }
    filter.session_id = *session_id;
    // Only a client that has read this stream before asks to catch up.
    replay_after = last_event_id(req);
  }
  return http::Response::event_stream(
      [bus, filter = std::move(filter), replay_after](std::shared_ptr<http::SseSink> sink) {
        std::weak_ptr<http::SseSink> weak_sink = sink;
        auto feed = std::make_shared<core::SessionFeed>(*bus, filter, replay_after,
                                                        [weak_sink](const core::Event& event) {
                                                          if (auto s = weak_sink.lock())
                                                            s->send(to_sse(event));
                                                        });
        sink->on_close([feed] { feed->close(); });
      });
}

}  // namespace

void register_event_stream_route(http::Router& router, std::shared_ptr<core::EventBus> bus,
                                 std::shared_ptr<core::SessionRegistry> sessions) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = "/api/events/stream";
  route.access = http::Access::User;
  route.doc = {"The caller's events as Server-Sent Events", "Events",
               "Query: session_id (replays what a client missed after Last-Event-ID), "
               "events (comma-separated types), user_id (admins). Each event: id, event "
               "type and the event as JSON."};
  route.doc.response_content_type = "text/event-stream";
  route.doc.error_statuses = {401, 403, 404, 422};
  route.handler = [bus = std::move(bus), sessions = std::move(sessions)](http::Request& req) {
    return open_stream(bus, *sessions, req);
  };
  router.add(std::move(route));
}

}  // namespace companion::api
