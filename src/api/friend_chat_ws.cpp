#include "api/friend_chat_ws.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <deque>
#include <mutex>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "api/friend_session.hpp"
#include "core/ratelimit/message_rate_gate.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"
#include "http/middleware/authentication.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_message = 10000;  // as POST /api/chat/send
constexpr std::size_t max_session_id = 128;
// Messages that may wait behind the reply being written. More are refused, never buffered
// without bound.
constexpr std::size_t max_waiting = 8;
// A message of 10000 characters fits even fully escaped; a larger frame closes the socket
// (1009, too big).
constexpr std::size_t max_frame = 64 * 1024;
// Close frames carry at most 123 bytes of reason.
constexpr std::size_t max_close_reason = 120;

// The API's error body, as a frame.
std::string error_frame(int status, std::string_view detail, std::string_view code = {}) {
  return http::error_response(status, detail, code).body;
}

// One chat message as the client sent it.
struct FriendMessage {
  std::string text;
  std::optional<std::string> session_id;  // continue this session instead of the current one
  bool save_to_memory = true;
};

// A frame reads like a POST /api/chat/send body and is checked by the same rules, so its
// problems are reported as that endpoint reports them (422, detail [{loc, msg, type}]).
// The client's "timestamp" is not needed: the reply is stamped with the server's clock.
// Answers the message, or the error frame that refuses it.
std::variant<FriendMessage, std::string> read_message(std::string_view frame) {
  http::Request as_body;
  as_body.body = frame;
  try {
    http::JsonBody body(as_body);
    FriendMessage message;
    message.text = body.required_string("message", 1, max_message);
    message.session_id = body.optional_string("session_id", max_session_id);
    message.save_to_memory = body.optional_bool("save_to_memory").value_or(true);
    body.check();
    return message;
  } catch (const http::ValidationError& invalid) {
    return http::validation_error(invalid.errors()).body;
  }
}

double seconds(double ms) {
  return std::round(ms) / 1000.0;
}

// The documented reply, with what POST /api/chat/send also tells: the session, the turn,
// how many memories it used and the facts it remembered. processing_time is the turn's
// own measure, the one the history's avg_processing_time averages.
json::object reply_frame(const core::TurnResult& result) {
  json::array facts;
  for (const auto& fact : result.remembered) facts.emplace_back(fact);
  json::object out{{"response", result.reply},
                   {"emotion", friend_emotion_json(result.user_emotion)},
                   {"processing_time", seconds(result.timings.total_ms)},
                   {"timestamp", http::iso8601_now()},
                   {"session_id", result.conversation.id},
                   {"turn_id", result.turn_id},
                   {"memories_used", static_cast<std::int64_t>(result.memories.size())},
                   {"facts_remembered", std::move(facts)}};
  // A reply cut short (the server shutting down) says so, as the history does.
  if (result.status != core::TurnStatus::Complete)
    out["status"] = std::string(core::turn_status_name(result.status));
  return out;
}

json::object token_frame(const core::StreamEvent& event) {
  return {{"type", "token"}, {"token", event.text}, {"event_id", event.id}};
}

// A connection refused once open: the error body, then close 1008 (policy violation). A
// browser cannot read the status of a refused upgrade, but it can read these.
class RefusedFriendConnection final : public http::WebSocketHandler {
 public:
  RefusedFriendConnection(int status, std::string detail)
      : status_(status), detail_(std::move(detail)) {}
  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override {
    peer->send_text(error_frame(status_, detail_));
    // The details are the server's own ASCII sentences: cutting one cannot split a
    // character.
    peer->close(http::close_code::policy_violation, detail_.substr(0, max_close_reason));
  }
  void on_text(std::string_view) override {}

 private:
  int status_;
  std::string detail_;
};

// One client. Socket callbacks run on the network thread; turns start from a worker (the
// store is read first) and their events arrive on the turn's thread. One reply is written
// at a time; `mutex_` guards the waiting messages and the reply being written.
class FriendChatConnection final : public http::WebSocketHandler,
                                   public std::enable_shared_from_this<FriendChatConnection> {
 public:
  FriendChatConnection(std::shared_ptr<ChatDeps> deps, core::Principal user, bool stream_tokens,
                       double inbound_messages_per_second)
      : deps_(std::move(deps)),
        user_(std::move(user)),
        stream_tokens_(stream_tokens),
        gate_(inbound_messages_per_second) {}

  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override { peer_ = std::move(peer); }

  void on_text(std::string_view text) override {
    if (!admitted()) return;
    auto read = read_message(text);
    if (auto* refusal = std::get_if<std::string>(&read)) {
      send(std::move(*refusal));
      return;
    }
    accept(std::move(std::get<FriendMessage>(read)));
  }

  void on_binary(std::string_view) override {
    if (!admitted()) return;
    send(error_frame(415,
                     "Binary frames are not accepted: send text frames with JSON such as "
                     "{\"message\": \"Hello!\"}"));
  }

  void on_close(std::uint16_t) override {
    std::shared_ptr<TurnFollower> follower;
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      waiting_.clear();
      follower = std::move(follower_);
    }
    // The reply goes on without this client; unfollowed, it is cancelled after the grace
    // period and stored as interrupted, as when an SSE client leaves.
    if (follower) follower->stop();
  }

 private:
  // The platform's inbound limit for sockets: a short burst passes, a flood is thinned.
  // What is over it is answered, as on the other chat sockets, with RATE_LIMIT_EXCEEDED (AI
  // Friend's 429 body) and dropped: a message dropped without a word would look like a
  // companion that stopped answering.
  bool admitted() {
    if (gate_.allow()) return true;
    double rate = gate_.per_second();
    auto refusal = http::error_response(
        429, fmt::format("Too many messages: at most {:g} a second on one connection", rate));
    auto frame = json::parse(refusal.body).as_object();
    // The wait for the next message, in whole seconds.
    frame["retry_after_seconds"] =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(1.0 / rate)));
    send(http::to_json_text(frame));
    return false;
  }

  // The message starts its turn now, or waits behind the reply being written.
  void accept(FriendMessage message) {
    bool full = false;
    {
      std::lock_guard lock(mutex_);
      if (busy_) {
        if (waiting_.size() < max_waiting) {
          waiting_.push_back(std::move(message));
          return;
        }
        full = true;
      } else {
        busy_ = true;
      }
    }
    if (full) {
      send(error_frame(429, "Too many messages waiting for a reply (at most " +
                                std::to_string(max_waiting) +
                                "): wait for the replies, then send it again"));
      return;
    }
    take_up(std::move(message));
  }

  // Finding the current session and preparing the turn read the store, which the network
  // thread and the turn's thread must not wait on: a worker does it.
  void take_up(FriendMessage message) {
    auto self = shared_from_this();
    auto shared = std::make_shared<FriendMessage>(std::move(message));
    // ChatDeps::workers is set while the server is wired, before any client connects.
    if (deps_->workers->try_post([self, shared] { self->start_reply(std::move(*shared)); })) return;
    send(error_frame(503, "Server busy, try again"));
    reply_done();
  }

  void start_reply(FriendMessage message) {
    if (is_closed()) return;  // the client left while the message waited
    std::shared_ptr<core::TurnStream> stream;
    try {
      std::string session =
          message.session_id ? *message.session_id : current_friend_session(*deps_, user_.user_id);
      auto request = turn_request_for(user_, std::move(session), std::string(friend_client_type),
                                      std::move(message.text));
      request.remember_facts = message.save_to_memory;
      stream = start_turn(*deps_, std::move(request));
    } catch (const http::HttpError& refused) {
      send(error_frame(refused.status(), refused.what(), refused.code()));
    } catch (const http::ValidationError& invalid) {
      send(http::validation_error(invalid.errors()).body);
    } catch (const std::exception&) {
      // The store failed: this message is not answered, the socket and the next ones are.
      send(error_frame(500, "Internal server error"));
    }
    if (!stream) {
      reply_done();
      return;
    }
    follow(stream);
  }

  void follow(const std::shared_ptr<core::TurnStream>& stream) {
    std::uint64_t reply = 0;
    {
      std::lock_guard lock(mutex_);
      reply = replies_done_;
    }
    std::weak_ptr<FriendChatConnection> weak = weak_from_this();
    auto follower = TurnFollower::follow(stream, 0, [weak](const core::StreamEvent& event) {
      if (auto self = weak.lock()) self->deliver(event);
    });
    bool orphaned = false;
    {
      std::lock_guard lock(mutex_);
      // The reply may already have ended (its follower then let go by itself), or the
      // client may have left meanwhile.
      if (replies_done_ == reply && !closed_) follower_ = follower;
      orphaned = closed_;
    }
    if (orphaned) follower->stop();
  }

  void deliver(const core::StreamEvent& event) {
    using Kind = core::StreamEvent::Kind;
    if (event.kind == Kind::Text && stream_tokens_) send(http::to_json_text(token_frame(event)));
    if (event.kind != Kind::End) return;
    const auto& result = *event.end;
    if (result.status == core::TurnStatus::Failed) {
      send(error_frame(502, "The language model could not answer: " + result.error));
    } else {
      send(http::to_json_text(reply_frame(result)));
    }
    reply_done();
  }

  // The reply is over: the next waiting message, if any, is taken up.
  void reply_done() {
    FriendMessage next;
    {
      std::lock_guard lock(mutex_);
      ++replies_done_;
      follower_.reset();
      if (closed_ || waiting_.empty()) {
        busy_ = false;
        return;
      }
      next = std::move(waiting_.front());
      waiting_.pop_front();
    }
    take_up(std::move(next));
  }

  bool is_closed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  void send(std::string frame) {
    if (peer_) peer_->send_text(std::move(frame));
  }

  std::shared_ptr<ChatDeps> deps_;
  core::Principal user_;
  bool stream_tokens_ = false;
  std::shared_ptr<http::WebSocketPeer> peer_;  // set in on_open, before any message
  core::MessageRateGate gate_;                 // network thread only

  std::mutex mutex_;
  bool busy_ = false;  // a message is being answered, from its take-up to its reply
  std::deque<FriendMessage> waiting_;
  std::uint64_t replies_done_ = 0;
  std::shared_ptr<TurnFollower> follower_;  // the reply being written, once it runs
  bool closed_ = false;
};

std::shared_ptr<http::WebSocketHandler> refuse(int status, std::string detail) {
  return std::make_shared<RefusedFriendConnection>(status, std::move(detail));
}

bool is_websocket_upgrade(const http::Request& req) {
  auto upgrade = req.headers.get("Upgrade");
  return upgrade && http::iequals(*upgrade, "websocket");
}

bool wants_tokens(const http::Request& req) {
  auto stream = req.query("stream");
  return stream && (*stream == "true" || *stream == "1");
}

// Authenticates and checks whom the path names before upgrading; every refusal is answered
// after the handshake with the error body and close code 1008. Runs on a worker (the route
// is not inline), so it may read the store.
std::shared_ptr<http::WebSocketHandler> open_connection(const std::shared_ptr<ChatDeps>& deps,
                                                        http::Request& req,
                                                        double inbound_messages_per_second) {
  // The authentication middleware attaches a principal only for a valid credential.
  if (!req.principal) {
    if (http::Authentication::find_credential(req))
      return refuse(401, "Invalid or expired credentials");
    return refuse(401, "Not authenticated: connect with ?token=<jwt>");
  }
  core::Principal user;
  try {
    user = chat_user(*deps, req, req.param("user_id"));
  } catch (const http::HttpError& refused) {
    return refuse(refused.status(), refused.what());
  } catch (const http::ValidationError&) {
    return refuse(422, "Invalid user_id");
  }
  return std::make_shared<FriendChatConnection>(deps, std::move(user), wants_tokens(req),
                                                inbound_messages_per_second);
}

}  // namespace

void register_friend_chat_ws(http::Router& router, std::shared_ptr<ChatDeps> deps,
                             double inbound_messages_per_second) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = "/api/chat/ws/{user_id}";
  // The route checks the principal itself so that a refusal is a frame and close code 1008,
  // as on the platform's other chat sockets, rather than an HTTP 401 before the upgrade.
  route.access = http::Access::Public;
  route.rate_group = "chat";
  route.websocket = true;
  route.websocket_message_limit = max_frame;
  route.doc = {
      "Real-time chat (WebSocket)", "Chat",
      "{user_id}: your username (admins and the root key may name another user). Query: "
      "token (the JWT; any other credential form is accepted too), stream=true (send the "
      "reply's pieces first). Send {\"message\", \"timestamp\"?, \"session_id\"?, "
      "\"save_to_memory\"?}; receive {\"response\", \"emotion\" {primary_emotion, confidence, "
      "all_emotions, sentiment_score, subjectivity, intensity}, \"processing_time\" (seconds, "
      "measured), \"timestamp\", \"session_id\", \"turn_id\", \"memories_used\", "
      "\"facts_remembered\"}. The turn runs in the conversation POST /api/chat/send continues. "
      "Messages sent while a reply is written wait (up to 8) and are answered in order. With "
      "stream=true, {\"type\": \"token\", \"token\", \"event_id\"} frames come before each "
      "reply. Errors are frames {\"detail\", \"code\", \"status_code\", \"timestamp\"} and the "
      "socket stays open: 422 for a frame without a valid message, 415 for a binary frame, "
      "429 (RATE_LIMIT_EXCEEDED) for more than 8 waiting or above the inbound limit (20 "
      "messages a second by default; then with retry_after_seconds), 403 for another user's "
      "session_id, 502 when the model fails. A missing or invalid credential, or a path "
      "naming another user, gets the error frame and close code 1008."};
  route.handler = [deps = std::move(deps), inbound_messages_per_second](http::Request& req) {
    if (!is_websocket_upgrade(req))
      throw http::HttpError(400, "This endpoint needs a WebSocket upgrade");
    return http::Response::upgrade(open_connection(deps, req, inbound_messages_per_second));
  };
  router.add(std::move(route));
}

}  // namespace companion::api
