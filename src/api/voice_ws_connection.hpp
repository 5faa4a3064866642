#pragma once
// One client of the Voice Assistant WebSocket (/ws): welcome, ping, event subscriptions,
// replay of what the session missed, and dispatch of other message types to the handler
// table. The route (voice_ws.cpp) authenticates and claims the session before upgrading.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <boost/json/object.hpp>

#include "api/voice_messages.hpp"
#include "core/accounts/account_service.hpp"
#include "core/events/event_bus.hpp"
#include "core/events/session_feed.hpp"
#include "core/sessions/session_registry.hpp"
#include "http/streams.hpp"

namespace companion::api {

struct VoiceWsDeps {
  // Creates the user an admin names on first use (sessions belong to a stored user).
  std::shared_ptr<core::AccountService> accounts;
  std::shared_ptr<core::EventBus> bus;
  std::shared_ptr<core::SessionRegistry> sessions;
  const VoiceMessageHandlers* handlers = nullptr;  // owned by app/, outlives the server
  VoiceFeatureProvider features;
};

// A connection that is refused once open: the error frame, then close 1008.
class RefusedVoiceConnection final : public http::WebSocketHandler {
 public:
  explicit RefusedVoiceConnection(std::string message) : message_(std::move(message)) {}
  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override;
  void on_text(std::string_view) override {}

 private:
  std::string message_;
};

class VoiceConnection final : public http::WebSocketHandler,
                              public std::enable_shared_from_this<VoiceConnection> {
 public:
  VoiceConnection(VoiceWsDeps deps, core::SessionClaim claim, VoiceClient client);
  ~VoiceConnection() override;

  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override;
  void on_text(std::string_view text) override;
  void on_close(std::uint16_t code) override;

 private:
  void send(const boost::json::object& frame);
  void send_error(std::string_view message);
  void send_welcome();
  void start_feed();
  void deliver(const core::Event& event);  // the feed's sink
  void change_subscriptions(const boost::json::object& message, bool subscribe);
  void dispatch(std::string_view type, const boost::json::object& message);
  void publish_presence(core::EventType type);

  VoiceWsDeps deps_;
  core::SessionClaim claim_;
  VoiceClient client_;
  std::shared_ptr<http::WebSocketPeer> peer_;
  std::uint64_t socket_handle_ = 0;
  std::mutex subscribed_mutex_;
  std::set<core::EventType> subscribed_;
  std::unique_ptr<core::SessionFeed> feed_;  // last: stops calling deliver() first
};

}  // namespace companion::api
