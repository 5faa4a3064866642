#pragma once
// How events and sessions go on the wire (Voice Assistant shapes).
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/events/event.hpp"
#include "core/sessions/session_registry.hpp"

namespace companion::api {

// {"event_id","event_type","data","session_id","user_id","timestamp"}; session_id and
// user_id are null for global events.
boost::json::object event_to_json(const core::Event& event);
// The WebSocket event frame: event_to_json plus "type":"event".
boost::json::object event_frame(const core::Event& event);
// {"type":"error","message","timestamp"}, the Voice Assistant's WebSocket error frame.
std::string voice_error_frame(std::string_view message);
// {"user_id","client_type","created_at","last_activity","websocket_connected",
//  "websocket_connections"}
boost::json::object session_to_json(const core::SessionState& state);

}  // namespace companion::api
