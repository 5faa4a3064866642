#pragma once
// One client of AI Coach's realtime socket (/ws/chat/), once the route has checked its key,
// agent and thread: text queries (one reply at a time — a new query cancels the running
// one), stop_audio, mute_audio / unmute_audio, ping, and the 20 Hz inbound limit (excess
// messages are dropped). Callbacks run on the network thread and never touch the store:
// turns start on the turn pool.
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "api/coach_deps.hpp"
#include "api/coach_ws_run.hpp"
#include "core/accounts/principal.hpp"
#include "core/characters/character.hpp"
#include "core/ratelimit/message_rate_gate.hpp"
#include "http/streams.hpp"

namespace companion::api {

struct CoachClient {
  core::Principal user;
  core::Character agent;
  std::string thread_id;
  std::string website_language;
};

// A connection refused after the handshake: an error frame, then the close code.
class RefusedCoachConnection final : public http::WebSocketHandler {
 public:
  RefusedCoachConnection(std::uint16_t code, std::string message)
      : code_(code), message_(std::move(message)) {}
  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override;
  void on_text(std::string_view) override {}

 private:
  std::uint16_t code_;
  std::string message_;
};

class CoachConnection final : public http::WebSocketHandler,
                              public std::enable_shared_from_this<CoachConnection> {
 public:
  static constexpr double inbound_messages_per_second = 20;

  CoachConnection(CoachDeps deps, CoachClient client)
      : deps_(std::move(deps)), client_(std::move(client)) {}

  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override;
  void on_text(std::string_view text) override;
  void on_close(std::uint16_t code) override;

 private:
  void dispatch(std::string_view type, const boost::json::object& message);
  void start_query(const boost::json::object& message);
  void stop_reply();
  void set_muted(bool muted);
  void send(const boost::json::object& frame);
  void send_error(std::string_view message);

  CoachDeps deps_;
  CoachClient client_;
  std::shared_ptr<http::WebSocketPeer> peer_;
  core::MessageRateGate gate_{inbound_messages_per_second};
  bool muted_ = false;
  std::shared_ptr<CoachRun> run_;  // the latest reply; superseded by the next query
};

}  // namespace companion::api
