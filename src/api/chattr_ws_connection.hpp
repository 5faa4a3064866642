#pragma once
// One client of Chattr's WebSocket, /api/v1/ws/chat. It must authenticate first: with an
// {"type": "auth", "token", "session_id"} message, or with a credential on the upgrade
// request. Then each {"type": "message", "character_id", "content", "metadata"} is answered
// with typing (true), the response, typing (false); one reply at a time. Errors are
// {"type": "error", "code", "message"} with the document's codes; a failed authentication,
// or anything sent before authenticating, is answered with UNAUTHORIZED and close 1008
// (policy violation). Every other error leaves the socket open.
//
// Callbacks run on the network thread and never touch the store: credentials are checked
// on the worker pool, turns run on the turn pool. Messages that arrive while an "auth" is
// being checked wait for it, in order, so a client may send its first message right after
// its auth message.
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "api/chat_support.hpp"
#include "api/chattr_ws_auth.hpp"
#include "core/accounts/credential.hpp"
#include "core/ratelimit/message_rate_gate.hpp"
#include "http/streams.hpp"

namespace companion::api {

// What the upgrade request told about the client.
struct ChattrUpgrade {
  core::RequestOrigin origin;  // for API keys with an allow-list
  std::string acting_for;      // ?user_id= (admins)
  // The outcome of a credential sent on the upgrade request, if one was sent.
  std::optional<ChattrAuthResult> authenticated;
};

// A connection refused at the upgrade (a credential that failed): the error frame, then
// close 1008.
class RefusedChattrConnection final : public http::WebSocketHandler {
 public:
  RefusedChattrConnection(std::string code, std::string message)
      : code_(std::move(code)), message_(std::move(message)) {}
  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override;
  void on_text(std::string_view) override {}

 private:
  std::string code_;
  std::string message_;
};

class ChattrConnection final : public http::WebSocketHandler,
                               public std::enable_shared_from_this<ChattrConnection> {
 public:
  // At most this many messages wait for an "auth" being checked.
  static constexpr std::size_t max_waiting_messages = 16;

  ChattrConnection(std::shared_ptr<ChatDeps> deps, ChattrUpgrade upgrade,
                   double inbound_messages_per_second);

  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override;
  void on_text(std::string_view text) override;
  void on_close(std::uint16_t code) override;

 private:
  // The reply this connection shows: which character speaks, and whether the client asked
  // for the reply's pieces as they are written.
  struct ReplyView {
    std::string character_id;
    bool tokens = false;
  };

  void handle(std::string_view text);
  void dispatch(std::string_view text);
  void begin_auth(const boost::json::object& message);
  void complete_auth(ChattrAuthResult result);
  void apply_auth(ChattrAuthResult result);
  void replay_waiting();
  void start_reply(const boost::json::object& message);
  void reply_refused(const core::TurnRefused& refused);
  void follow(const std::shared_ptr<core::TurnStream>& stream, ReplyView view);
  void deliver(const core::TurnStream* key, const ReplyView& view, const core::StreamEvent& event);
  bool authenticated();

  void send(const boost::json::object& frame);
  void send_error(std::string_view code, std::string_view message);
  void send_typing(const std::string& character_id, bool typing);
  void close_unauthorized(std::string_view code, std::string_view message);

  std::shared_ptr<ChatDeps> deps_;
  core::RequestOrigin origin_;
  std::string acting_for_;
  std::optional<ChattrAuthResult> upgrade_auth_;
  std::int64_t retry_after_seconds_;
  std::shared_ptr<http::WebSocketPeer> peer_;

  std::mutex mutex_;
  core::MessageRateGate gate_;
  std::optional<core::Principal> user_;
  std::string session_id_;
  bool auth_in_flight_ = false;
  bool replaying_ = false;  // one thread hands the waiting messages on, in order
  std::deque<std::string> waiting_;
  bool closed_ = false;
  // A reply is shown from the moment it is asked for until its end.
  bool busy_ = false;
  std::shared_ptr<core::TurnStream> stream_;
  std::shared_ptr<TurnFollower> follower_;
};

}  // namespace companion::api
