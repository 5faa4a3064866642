#include "api/voice_ws_connection.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/event_json.hpp"
#include "http/json_text.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

void RefusedVoiceConnection::on_open(std::shared_ptr<http::WebSocketPeer> peer) {
  peer->send_text(voice_error_frame(message_));
  peer->close(http::close_code::policy_violation, message_);
}

VoiceConnection::VoiceConnection(VoiceWsDeps deps, core::SessionClaim claim, VoiceClient client)
    : deps_(std::move(deps)), claim_(std::move(claim)), client_(std::move(client)) {}

VoiceConnection::~VoiceConnection() {
  if (feed_) feed_->close();
}

void VoiceConnection::send(const json::object& frame) {
  if (peer_) peer_->send_text(http::to_json_text(frame));
}

void VoiceConnection::send_error(std::string_view message) {
  if (peer_) peer_->send_text(voice_error_frame(message));
}

void VoiceConnection::on_open(std::shared_ptr<http::WebSocketPeer> peer) {
  peer_ = peer;
  std::weak_ptr<http::WebSocketPeer> weak_peer = peer;
  socket_handle_ = deps_.sessions->attach_socket(client_.session_id, [weak_peer] {
    if (auto p = weak_peer.lock()) p->close(http::close_code::normal, "Session closed");
  });
  if (socket_handle_ == 0) {  // closed between the handshake and now
    send_error("Session not found");
    peer->close(http::close_code::policy_violation, "Session not found");
    return;
  }
  client_.send = [weak_peer](const json::object& frame) {
    auto p = weak_peer.lock();
    return p && p->send_text(http::to_json_text(frame));
  };
  send_welcome();
  start_feed();
  publish_presence(core::EventType::ClientConnected);
}

void VoiceConnection::send_welcome() {
  VoiceFeatures features = deps_.features ? deps_.features() : VoiceFeatures{};
  send(json::object{
      {"type", "connected"},
      {"session_id", client_.session_id},
      {"user_id", client_.user_id},
      {"client_type", client_.client_type},
      {"timestamp", http::iso8601_now()},
      {"features", json::object{{"chat", features.chat},
                                {"events", features.events},
                                {"music", features.music},
                                {"memory", features.memory},
                                {"rag", features.rag}}},
  });
}

// A returning client gets back the subscriptions it had and, before anything live, the
// session's events it missed while away.
void VoiceConnection::start_feed() {
  std::optional<std::string> replay_after;
  if (claim_.resume) {
    std::lock_guard lock(subscribed_mutex_);
    subscribed_ = claim_.resume->subscribed;
    replay_after = claim_.resume->last_event_id;
  }
  core::EventFilter filter{client_.user_id, client_.session_id, {}, true};
  feed_ = std::make_unique<core::SessionFeed>(*deps_.bus, std::move(filter), replay_after,
                                              [this](const core::Event& e) { deliver(e); });
}

void VoiceConnection::deliver(const core::Event& event) {
  {
    std::lock_guard lock(subscribed_mutex_);
    if (!subscribed_.contains(event.type)) return;
  }
  send(event_frame(event));
}

void VoiceConnection::publish_presence(core::EventType type) {
  deps_.bus->publish(core::NewEvent{
      type, client_.user_id, client_.session_id,
      json::object{{"session_id", client_.session_id}, {"client_type", client_.client_type}}});
}

void VoiceConnection::on_text(std::string_view text) {
  if (socket_handle_ == 0) return;
  deps_.sessions->touch(client_.session_id);
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  const json::string* type = nullptr;
  if (!ec && parsed.is_object()) {
    if (auto* t = parsed.as_object().if_contains("type"); t && t->is_string()) {
      type = &t->get_string();
    }
  }
  if (!type) {
    send_error("Invalid message format");
    return;
  }
  const json::object& message = parsed.as_object();
  if (*type == "ping") {
    send(json::object{{"type", "pong"}, {"timestamp", http::iso8601_now()}});
  } else if (*type == "subscribe" || *type == "unsubscribe") {
    change_subscriptions(message, *type == "subscribe");
  } else {
    dispatch(*type, message);
  }
}

// Applies a subscribe/unsubscribe message; a list with an unknown name changes nothing.
void VoiceConnection::change_subscriptions(const json::object& message, bool subscribe) {
  const json::value* events = message.if_contains("events");
  if (!events || !events->is_array()) {
    send_error("Invalid message format");
    return;
  }
  std::vector<core::EventType> types;
  json::array named;
  std::string unknown;
  for (const json::value& item : events->as_array()) {
    if (!item.is_string()) {
      send_error("Invalid message format");
      return;
    }
    auto type = core::parse_event_type(item.as_string());
    if (!type) {
      unknown += (unknown.empty() ? "" : ", ") + std::string(item.as_string());
      continue;
    }
    types.push_back(*type);
    named.emplace_back(core::event_type_name(*type));
  }
  if (!unknown.empty()) {
    send_error("Unknown event type: " + unknown);
    return;
  }
  {
    std::lock_guard lock(subscribed_mutex_);
    for (core::EventType type : types) {
      if (subscribe) {
        subscribed_.insert(type);
      } else {
        subscribed_.erase(type);
      }
    }
  }
  send(json::object{{"type", subscribe ? "subscribed" : "unsubscribed"},
                    {"events", std::move(named)},
                    {"timestamp", http::iso8601_now()}});
}

void VoiceConnection::dispatch(std::string_view type, const json::object& message) {
  const VoiceMessageHandler* handler = nullptr;
  if (deps_.handlers) {
    auto it = deps_.handlers->find(type);
    if (it != deps_.handlers->end()) handler = &it->second;
  }
  if (!handler) {
    send_error("Unknown message type: " + std::string(type));
    return;
  }
  try {
    (*handler)(client_, message);
  } catch (const std::exception& e) {
    send_error(e.what());
  }
}

void VoiceConnection::on_close(std::uint16_t) {
  if (socket_handle_ == 0) return;
  core::ResumePoint resume;
  {
    std::lock_guard lock(subscribed_mutex_);
    resume.subscribed = subscribed_;
  }
  // Stop reading first, so the cursor is final and deliver() is done for good.
  feed_->close();
  resume.last_event_id = feed_->cursor();
  deps_.sessions->detach_socket(client_.session_id, socket_handle_, std::move(resume));
  publish_presence(core::EventType::ClientDisconnected);
}

}  // namespace companion::api
