#include "api/youworker_chat_ws.hpp"

#include <boost/json.hpp>
#include <mutex>

#include "api/youworker_chat_routes.hpp"
#include "core/sessions/session_id.hpp"
#include "http/error.hpp"
#include "http/json_text.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_text = 100000;

json::object frame(std::string_view type, std::string_view content, json::object metadata = {}) {
  json::object out{{"type", type}, {"content", content}};
  if (!metadata.empty()) out["metadata"] = std::move(metadata);
  out["timestamp"] = http::iso8601_now();
  return out;
}

// The frames a stream event shows the client, each with the event's id.
std::vector<json::object> frames_for(const core::StreamEvent& event) {
  using Kind = core::StreamEvent::Kind;
  std::vector<json::object> out;
  switch (event.kind) {
    case Kind::Start:
      out.push_back(frame("status", "Thinking...",
                          {{"stage", "thinking"}, {"turn_id", event.start->turn_id}}));
      break;
    case Kind::Text:
      out.push_back(frame("text", event.text, {{"is_streaming", true}}));
      break;
    case Kind::Tool: {
      json::object metadata = youworker_tool_event(event.tool);
      metadata.erase("tool");  // it is the frame's content
      out.push_back(frame("tool", event.tool.tool, std::move(metadata)));
      break;
    }
    case Kind::End: {
      const auto& result = *event.end;
      if (result.status == core::TurnStatus::Failed) {
        out.push_back(frame("error", "The language model could not answer: " + result.error));
        break;
      }
      json::object metadata{{"is_final", true},
                            {"turn_id", result.turn_id},
                            {"status", std::string(core::turn_status_name(result.status))}};
      if (result.status == core::TurnStatus::Interrupted) metadata["interrupted"] = true;
      out.push_back(frame("text", result.reply, std::move(metadata)));
      break;
    }
  }
  for (auto& f : out) f["event_id"] = event.id;
  return out;
}

// A connection refused once open: the error frame, then close 1008 (policy violation).
class RefusedChatConnection final : public http::WebSocketHandler {
 public:
  explicit RefusedChatConnection(std::string message) : message_(std::move(message)) {}
  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override {
    peer->send_text(http::to_json_text(frame("error", message_)));
    peer->close(http::close_code::policy_violation, message_);
  }
  void on_text(std::string_view) override {}

 private:
  std::string message_;
};

// One client of a session. Callbacks run on the network thread; stream events arrive on
// turn threads and only queue frames. `mutex_` guards which reply the connection shows.
class ChatConnection final : public http::WebSocketHandler,
                             public std::enable_shared_from_this<ChatConnection> {
 public:
  ChatConnection(std::shared_ptr<ChatDeps> deps, core::Principal user, std::string session_id,
                 std::optional<Resumption> resume, bool resume_unknown)
      : deps_(std::move(deps)),
        user_(std::move(user)),
        session_id_(std::move(session_id)),
        resume_(std::move(resume)),
        resume_unknown_(resume_unknown) {}

  void on_open(std::shared_ptr<http::WebSocketPeer> peer) override {
    peer_ = std::move(peer);
    send(frame("system", "Connected to chat session", {{"session_id", session_id_}}));
    if (resume_unknown_) send_error("Unknown or expired last_event_id: nothing to resume");
    std::shared_ptr<core::TurnStream> resumed;
    if (resume_) {
      resumed = resume_->stream;
      follow(resume_->stream, resume_->after);
      resume_.reset();
    }
    // A reply still being written in the session is shown from its start: the client
    // cannot say what it saw of it without last_event_id.
    auto running = deps_->turns->streams().running(session_id_);
    if (running && running != resumed && running->user_id() == user_.user_id) follow(running, 0);
  }

  void on_text(std::string_view text) override {
    boost::system::error_code ec;
    auto parsed = json::parse(text, ec);
    const json::object* message = !ec ? parsed.if_object() : nullptr;
    const json::value* type = message ? message->if_contains("type") : nullptr;
    if (!type || !type->is_string()) {
      send_error("Invalid message format");
      return;
    }
    const auto& name = type->as_string();
    if (name == "text") {
      start_reply(*message);
    } else if (name == "stop") {
      stop_reply();
    } else if (name == "ping") {
      send(json::object{{"type", "pong"}, {"timestamp", http::iso8601_now()}});
    } else if (name == "audio") {
      send_error("Audio messages are not accepted on this connection: send text");
    } else {
      send_error("Unknown message type: " + std::string(name));
    }
  }

  void on_close(std::uint16_t) override {
    std::shared_ptr<TurnFollower> follower;
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      follower = std::move(follower_);
      stream_.reset();
      cancellation_.reset();
    }
    // The reply goes on without this client; unfollowed, it is cancelled after the grace
    // period unless the client comes back for it.
    if (follower) follower->stop();
  }

 private:
  void send(const json::object& f) {
    if (peer_) peer_->send_text(http::to_json_text(f));
  }
  void send_error(std::string_view message) { send(frame("error", message)); }

  void start_reply(const json::object& message) {
    const auto* content = message.if_contains("content");
    if (!content || !content->is_string() || content->as_string().empty()) {
      send_error("Message content must not be empty");
      return;
    }
    if (content->as_string().size() > max_text) {
      send_error("Message content is longer than 100000 characters");
      return;
    }
    auto request = turn_request_for(user_, session_id_, std::string(youworker_client_type),
                                    std::string(content->as_string()));
    if (const auto* metadata = message.if_contains("metadata"); metadata && metadata->is_object()) {
      const auto& options = metadata->as_object();
      if (const auto* tools = options.if_contains("enable_tools"); tools && tools->is_bool())
        request.use_tools = tools->as_bool();
      if (const auto* model = options.if_contains("model"); model && model->is_string())
        request.model = std::string(model->as_string());
    }
    {
      std::lock_guard lock(mutex_);
      if (cancellation_) {
        send_error("A reply is still streaming: send stop first");
        return;
      }
      // Known before the turn starts, so that a stop sent right away still reaches it.
      cancellation_ = request.cancellation;
    }
    std::weak_ptr<ChatConnection> weak = weak_from_this();
    bool queued = deps_->turns->start_later(
        std::move(request),
        [weak](const std::shared_ptr<core::TurnStream>& stream) {
          if (auto self = weak.lock()) self->follow(stream, 0);
        },
        [weak](const core::TurnRefused& refused) {
          if (auto self = weak.lock()) self->refused(refused.what());
        });
    if (!queued) refused("Server busy, try again");
  }

  void refused(const std::string& message) {
    {
      std::lock_guard lock(mutex_);
      cancellation_.reset();
    }
    send_error(message);
  }

  void stop_reply() {
    std::optional<core::CancellationToken> cancellation;
    {
      std::lock_guard lock(mutex_);
      cancellation = cancellation_;
    }
    // The final text frame, marked interrupted, follows when the turn has stopped.
    if (cancellation) {
      cancellation->cancel();
    } else {
      send(frame("status", "Nothing to stop", {{"stage", "idle"}}));
    }
  }

  void follow(const std::shared_ptr<core::TurnStream>& stream, std::uint64_t after) {
    // A reply the client saw to its end: nothing to show, and none is in progress.
    if (stream->finished() && after >= stream->last_sequence()) return;
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      stream_ = stream;
      cancellation_ = stream->cancellation();
    }
    std::weak_ptr<ChatConnection> weak = weak_from_this();
    const core::TurnStream* key = stream.get();
    auto follower =
        TurnFollower::follow(stream, after, [weak, key](const core::StreamEvent& event) {
          if (auto self = weak.lock()) self->deliver(key, event);
        });
    bool orphaned = false;
    {
      std::lock_guard lock(mutex_);
      // The turn may already have ended (its follower then let go by itself), or the client
      // may have left meanwhile.
      if (stream_.get() == key) follower_ = follower;
      orphaned = closed_;
    }
    if (orphaned) follower->stop();
  }

  void deliver(const core::TurnStream* key, const core::StreamEvent& event) {
    if (event.kind == core::StreamEvent::Kind::End) {
      // The reply is over before its final frame goes out, so a client that answers that
      // frame at once finds no reply streaming.
      std::lock_guard lock(mutex_);
      if (stream_.get() == key) {
        stream_.reset();
        follower_.reset();
        cancellation_.reset();
      }
    }
    for (const auto& f : frames_for(event)) send(f);
  }

  std::shared_ptr<ChatDeps> deps_;
  core::Principal user_;
  std::string session_id_;
  std::optional<Resumption> resume_;
  bool resume_unknown_ = false;
  std::shared_ptr<http::WebSocketPeer> peer_;

  std::mutex mutex_;
  // The reply shown: its cancellation from the moment it is asked for, its stream and
  // follower once it runs. No reply is shown when cancellation_ is empty.
  std::optional<core::CancellationToken> cancellation_;
  std::shared_ptr<core::TurnStream> stream_;
  std::shared_ptr<TurnFollower> follower_;
  bool closed_ = false;
};

std::shared_ptr<http::WebSocketHandler> refuse(std::string message) {
  return std::make_shared<RefusedChatConnection>(std::move(message));
}

bool is_websocket_upgrade(const http::Request& req) {
  auto upgrade = req.headers.get("Upgrade");
  return upgrade && http::iequals(*upgrade, "websocket");
}

// Authenticates and checks the session before upgrading; every refusal is answered after
// the handshake with the document's error frame and close code 1008.
std::shared_ptr<http::WebSocketHandler> open_connection(const std::shared_ptr<ChatDeps>& deps,
                                                        http::Request& req) {
  if (!req.principal) return refuse("Authentication failed");
  std::string session_id(req.param("session_id"));
  if (!core::is_valid_session_id(session_id)) return refuse("Invalid session_id");
  core::Principal user;
  try {
    user = chat_user(*deps, req, req.query("user_id").value_or(""));
  } catch (const http::HttpError& error) {
    return refuse(error.what());
  } catch (const http::ValidationError&) {
    return refuse("Invalid user_id");
  }
  // A new session is created by its first message; another user's is not joined.
  auto existing = deps->turns->conversations().store().find(session_id);
  if (existing && existing->user_id != user.user_id)
    return refuse("Not allowed to join this session");
  auto resume = resumption_for(deps->turns->streams(), req, user.user_id);
  if (resume && resume->stream->conversation_id() != session_id) resume.reset();
  bool resume_unknown = last_event_id(req).has_value() && !resume;
  return std::make_shared<ChatConnection>(deps, std::move(user), std::move(session_id),
                                          std::move(resume), resume_unknown);
}

}  // namespace

void register_youworker_chat_ws(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = "/chat/{session_id}";
  // The route checks the principal itself so that a refusal is the document's close code
  // 1008 rather than an HTTP 401 before the upgrade.
  route.access = http::Access::Public;
  route.rate_group = "chat";
  route.websocket = true;
  route.doc = {"YouWorker chat WebSocket", "YouWorker",
               "Query: token or api_key, last_event_id (resume a reply), user_id (admins). "
               "Client messages: text {content, metadata: {enable_tools, model}}, stop, ping. "
               "Server frames: system, status, text (is_streaming / is_final), tool, error, "
               "pong; the frames of a reply carry event_id. Close 1008: authentication "
               "failed or the session is another user's."};
  route.handler = [deps = std::move(deps)](http::Request& req) {
    if (!is_websocket_upgrade(req))
      throw http::HttpError(400, "This endpoint needs a WebSocket upgrade");
    return http::Response::upgrade(open_connection(deps, req));
  };
  router.add(std::move(route));
}

}  // namespace companion::api
