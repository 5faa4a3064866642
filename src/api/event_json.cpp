#include "api/event_json.hpp"
#include "http/json_text.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/json_text.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

json::value string_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::string(text);
}

}  // namespace

json::object event_to_json(const core::Event& event) {
  return json::object{
      {"event_id", event.id},
      {"event_type", core::event_type_name(event.type)},
      {"data", event.data},
      {"session_id", string_or_null(event.session_id)},
      {"user_id", string_or_null(event.user_id)},
      {"timestamp", http::iso8601(event.timestamp)},
  };
}

json::object event_frame(const core::Event& event) {
  json::object frame = event_to_json(event);
  frame["type"] = "event";
  return frame;
}

std::string voice_error_frame(std::string_view message) {
  return http::to_json_text(json::object{
      {"type", "error"},
      {"message", message},
      {"timestamp", http::iso8601_now()},
  });
}

json::object session_to_json(const core::SessionState& state) {
  return json::object{
      {"user_id", state.session.user_id},
      {"client_type", state.session.client_type},
      {"created_at", http::iso8601(state.session.created_at)},
      {"last_activity", http::iso8601(state.session.last_activity)},
      {"websocket_connected", state.open_sockets > 0},
      {"websocket_connections", state.open_sockets},
  };
}

}  // namespace companion::api
