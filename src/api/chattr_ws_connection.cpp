#include "api/chattr_ws_connection.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <variant>

#include "api/chattr_support.hpp"
#include "core/characters/character_service.hpp"
#include "http/json_text.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

// A failed authentication closes with 1008 (policy violation): the client broke the
// connection's one rule, authenticate first. The same code as the other chat sockets'
// failed authentication, so a client can tell it from a server error (1011).
constexpr std::uint16_t unauthorized_close = http::close_code::policy_violation;
constexpr std::string_view unauthorized_reason = "Unauthorized";

// The gate refills one message every 1/rate seconds: the wait for the next one, in whole
// seconds (0 when the gate is off).
std::int64_t seconds_per_message(double per_second) {
  if (per_second <= 0) return 0;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(1.0 / per_second)));
}

json::object error_frame(std::string_view code, std::string_view message) {
  return {{"type", "error"}, {"code", code}, {"message", message}};
}

std::string_view code_for(const core::TurnRefused& refused) {
  using Reason = core::TurnRefused::Reason;
  switch (refused.reason()) {
    case Reason::ConversationOfAnotherUser:
      return "FORBIDDEN";
    case Reason::UnknownCharacter:
    case Reason::UnknownModel:
      return "NOT_FOUND";
    case Reason::EmptyMessage:
      return "INVALID_REQUEST";
  }
  return "INVALID_REQUEST";
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// A field that may be left out (or null); false when it is there with the wrong type.
template <class Read>
bool read_optional(const json::object& message, std::string_view key, Read read) {
  const auto* value = message.if_contains(key);
  if (!value || value->is_null()) return true;
  return read(*value);
}

// What a "message" asks for, once its fields are checked.
struct MessageRequest {
  std::string content;
  std::string character_id = std::string(core::default_chattr_character_id);
  std::string user_name;
  bool tokens = false;
};

// The fields of a "message"; an error text when one is wrong.
std::variant<MessageRequest, std::string> read_message(const json::object& message) {
  MessageRequest out;
  const auto* content = message.if_contains("content");
  if (!content || !content->is_string() || is_blank(content->as_string()))
    return std::string("The message needs a non-empty content");
  if (content->as_string().size() > chattr_max_message)
    return std::string("The content is longer than 10000 characters");
  out.content = std::string(content->as_string());
  bool character_ok = read_optional(message, "character_id", [&](const json::value& v) {
    if (!v.is_string() || v.as_string().empty() || v.as_string().size() > chattr_max_character_id)
      return false;
    out.character_id = std::string(v.as_string());
    return true;
  });
  if (!character_ok) return std::string("character_id must be a string of 1 to 64 characters");
  const json::object* metadata = nullptr;
  bool metadata_ok = read_optional(message, "metadata", [&](const json::value& v) {
    metadata = v.if_object();
    return metadata != nullptr;
  });
  if (!metadata_ok) return std::string("metadata must be an object");
  if (!metadata) return out;
  bool name_ok = read_optional(*metadata, "user_name", [&](const json::value& v) {
    if (!v.is_string() || v.as_string().size() > chattr_max_user_name) return false;
    out.user_name = std::string(v.as_string());
    return true;
  });
  if (!name_ok) return std::string("metadata.user_name must be a string of at most 100 characters");
  bool stream_ok = read_optional(*metadata, "stream", [&](const json::value& v) {
    if (!v.is_bool()) return false;
    out.tokens = v.as_bool();
    return true;
  });
  if (!stream_ok) return std::string("metadata.stream must be true or false");
  return out;
}

}  // namespace

void RefusedChattrConnection::on_open(std::shared_ptr<http::WebSocketPeer> peer) {
  peer->send_text(http::to_json_text(error_frame(code_, message_)));
  peer->close(unauthorized_close, std::string(unauthorized_reason));
}

ChattrConnection::ChattrConnection(std::shared_ptr<ChatDeps> deps, ChattrUpgrade upgrade,
                                   double inbound_messages_per_second)
    : deps_(std::move(deps)),
      origin_(std::move(upgrade.origin)),
      acting_for_(std::move(upgrade.acting_for)),
      upgrade_auth_(std::move(upgrade.authenticated)),
      retry_after_seconds_(seconds_per_message(inbound_messages_per_second)),
      gate_(inbound_messages_per_second) {}

void ChattrConnection::on_open(std::shared_ptr<http::WebSocketPeer> peer) {
  peer_ = std::move(peer);
  if (!upgrade_auth_) return;
  auto result = std::move(*upgrade_auth_);
  upgrade_auth_.reset();
  apply_auth(std::move(result));
}

void ChattrConnection::on_text(std::string_view text) {
  bool limited = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (!gate_.allow()) {
      limited = true;
    } else if (auth_in_flight_ || replaying_) {
      // Handled once the authentication is settled, in the order they came.
      limited = waiting_.size() >= max_waiting_messages;
      if (!limited) {
        waiting_.emplace_back(text);
        return;
      }
    }
  }
  if (limited) {
    auto frame = error_frame("RATE_LIMIT_EXCEEDED", "Too many messages: this one was dropped");
    frame["retry_after_seconds"] = retry_after_seconds_;
    send(frame);
    return;
  }
  handle(text);
}

void ChattrConnection::on_close(std::uint16_t) {
  std::shared_ptr<TurnFollower> follower;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    waiting_.clear();
    follower = std::move(follower_);
    stream_.reset();
  }
  // The reply goes on without this client; unfollowed, it is cancelled after the grace
  // period unless the client comes back to the session for it.
  if (follower) follower->stop();
}

void ChattrConnection::handle(std::string_view text) {
  try {
    dispatch(text);
  } catch (const std::exception&) {
    // Whatever went wrong with this message, the connection and its session go on.
    send_error("INTERNAL_ERROR", "The message could not be handled");
  }
}

void ChattrConnection::dispatch(std::string_view text) {
  boost::system::error_code ec;
  auto parsed = json::parse(text, ec);
  const json::object* message = !ec ? parsed.if_object() : nullptr;
  const json::value* type = message ? message->if_contains("type") : nullptr;
  std::string_view name = type && type->is_string() ? std::string_view(type->as_string()) : "";
  if (name == "auth") return begin_auth(*message);
  if (!authenticated())
    return close_unauthorized(
        "UNAUTHORIZED", "Authenticate first: {\"type\": \"auth\", \"token\": <API key or JWT>}");
  if (!message) return send_error("INVALID_REQUEST", "Invalid JSON: send a JSON object");
  if (name == "message") return start_reply(*message);
  if (name.empty()) return send_error("INVALID_REQUEST", "The message needs a \"type\"");
  send_error("INVALID_REQUEST", "Unknown message type: " + std::string(name));
}

bool ChattrConnection::authenticated() {
  std::lock_guard lock(mutex_);
  return user_.has_value();
}

void ChattrConnection::begin_auth(const json::object& message) {
  const auto* token = message.if_contains("token");
  if (!token || !token->is_string() || token->as_string().empty())
    return close_unauthorized("UNAUTHORIZED",
                              "The auth message needs a token: an API key or a JWT");
  ChattrAuthRequest request;
  request.acting_for = acting_for_;
  std::string problem;
  if (!read_optional(message, "session_id", [&](const json::value& v) {
        if (v.is_string()) request.session_id = std::string(v.as_string());
        return v.is_string();
      }))
    problem = "session_id must be a string";
  if (!read_optional(message, "user_id", [&](const json::value& v) {
        if (v.is_string()) request.acting_for = std::string(v.as_string());
        return v.is_string();
      }))
    problem = "user_id must be a string";
  if (!problem.empty()) return send_error("INVALID_REQUEST", problem);
  {
    std::lock_guard lock(mutex_);
    if (busy_) {
      problem = "A reply is still being written: authenticate again once it has ended";
    } else {
      auth_in_flight_ = true;
    }
  }
  if (!problem.empty()) return send_error("INVALID_REQUEST", problem);

  core::PresentedCredential credential{core::CredentialScheme::Bearer,
                                       std::string(token->as_string()), "auth message"};
  std::weak_ptr<ChattrConnection> weak = weak_from_this();
  auto check = [weak, deps = deps_, credential, origin = origin_, request] {
    ChattrAuthResult result;
    try {
      result = authenticate_chattr_credential(*deps, credential, origin, request);
    } catch (const std::exception&) {
      result.status = ChattrAuthResult::Status::Refused;
      result.code = "SERVICE_UNAVAILABLE";
      result.message = "Authentication is temporarily unavailable";
    }
    if (auto self = weak.lock()) self->complete_auth(std::move(result));
  };
  if (deps_->workers && deps_->workers->try_post(std::move(check))) return;
  ChattrAuthResult busy;
  busy.status = ChattrAuthResult::Status::Refused;
  busy.code = "SERVICE_UNAVAILABLE";
  busy.message = "Server busy, try again";
  complete_auth(std::move(busy));
}

void ChattrConnection::complete_auth(ChattrAuthResult result) {
  apply_auth(std::move(result));
  {
    std::lock_guard lock(mutex_);
    auth_in_flight_ = false;
    // A replay in progress (it started this authentication) goes on by itself.
    if (replaying_ || closed_) return;
    replaying_ = true;
  }
  replay_waiting();
}

void ChattrConnection::apply_auth(ChattrAuthResult result) {
  using Status = ChattrAuthResult::Status;
  if (result.status == Status::BadCredential)
    return close_unauthorized(result.code, result.message);
  // A refused session or acting user leaves the connection as it was: the client may send
  // another auth.
  if (result.status == Status::Refused) return send_error(result.code, result.message);
  bool show_running = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    user_ = result.user;
    session_id_ = result.session_id;
    show_running = result.running && !busy_;
    if (show_running) busy_ = true;
  }
  send({{"type", "authenticated"}, {"session_id", result.session_id}});
  // Back in a session whose reply is still being written: it is shown from its start.
  if (show_running) {
    send_typing(result.running_character_id, true);
    follow(result.running, {result.running_character_id, false});
  }
}

void ChattrConnection::replay_waiting() {
  for (;;) {
    std::string next;
    {
      std::lock_guard lock(mutex_);
      // Another auth among them waits for its own check; its completion goes on from here.
      if (closed_ || auth_in_flight_ || waiting_.empty()) {
        replaying_ = false;
        return;
      }
      next = std::move(waiting_.front());
      waiting_.pop_front();
    }
    handle(next);
  }
}

void ChattrConnection::start_reply(const json::object& message) {
  auto read = read_message(message);
  if (const auto* problem = std::get_if<std::string>(&read))
    return send_error("INVALID_REQUEST", *problem);
  auto& asked = std::get<MessageRequest>(read);
  core::Principal user;
  std::string session_id;
  bool already_busy = false;
  {
    std::lock_guard lock(mutex_);
    already_busy = busy_;
    busy_ = true;
    user = *user_;
    session_id = session_id_;
  }
  if (already_busy)
    return send_error(
        "INVALID_REQUEST",
        "A reply is still being written: wait for it before sending the next message");

  auto request =
      turn_request_for(user, session_id, std::string(chattr_client_type), std::move(asked.content));
  request.character_id = asked.character_id;
  request.display_name = std::move(asked.user_name);
  ReplyView view{asked.character_id, asked.tokens};
  std::weak_ptr<ChattrConnection> weak = weak_from_this();
  bool queued = deps_->turns->start_later(
      std::move(request),
      [weak, view](const std::shared_ptr<core::TurnStream>& stream) {
        if (auto self = weak.lock()) {
          self->send_typing(view.character_id, true);
          self->follow(stream, view);
        }
      },
      [weak](const core::TurnRefused& refused) {
        if (auto self = weak.lock()) self->reply_refused(refused);
      });
  if (queued) return;
  {
    std::lock_guard lock(mutex_);
    busy_ = false;
  }
  send_error("SERVICE_UNAVAILABLE", "Server busy, try again");
}

void ChattrConnection::reply_refused(const core::TurnRefused& refused) {
  {
    std::lock_guard lock(mutex_);
    busy_ = false;
  }
  send_error(code_for(refused), refused.what());
}

void ChattrConnection::follow(const std::shared_ptr<core::TurnStream>& stream, ReplyView view) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    stream_ = stream;
  }
  std::weak_ptr<ChattrConnection> weak = weak_from_this();
  const core::TurnStream* key = stream.get();
  auto follower =
      TurnFollower::follow(stream, 0, [weak, key, view](const core::StreamEvent& event) {
        if (auto self = weak.lock()) self->deliver(key, view, event);
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

void ChattrConnection::deliver(const core::TurnStream* key, const ReplyView& view,
                               const core::StreamEvent& event) {
  using Kind = core::StreamEvent::Kind;
  if (event.kind == Kind::Text && view.tokens && !event.text.empty())
    send({{"type", "token"}, {"character_id", view.character_id}, {"content", event.text}});
  if (event.kind != Kind::End) return;
  {
    // The reply is over before its frames go out, so a client that sends its next message
    // as soon as it reads the response is not told a reply is still running.
    std::lock_guard lock(mutex_);
    if (stream_.get() == key) {
      stream_.reset();
      follower_.reset();
      busy_ = false;
    }
  }
  const auto& result = *event.end;
  const std::string& character =
      result.character.id.empty() ? view.character_id : result.character.id;
  if (result.status == core::TurnStatus::Failed) {
    send_error("SERVICE_UNAVAILABLE", "The language model could not answer: " + result.error);
  } else {
    send({{"type", "response"},
          {"character_id", character},
          {"content", result.reply},
          {"timestamp", chattr_reply_timestamp(result.assistant_message)},
          {"media", chattr_media_json()},
          {"session_id", result.conversation.id}});
  }
  send_typing(character, false);
}

void ChattrConnection::send(const json::object& frame) {
  if (peer_) peer_->send_text(http::to_json_text(frame));
}

void ChattrConnection::send_error(std::string_view code, std::string_view message) {
  send(error_frame(code, message));
}

void ChattrConnection::send_typing(const std::string& character_id, bool typing) {
  send({{"type", "typing"}, {"character_id", character_id}, {"is_typing", typing}});
}

void ChattrConnection::close_unauthorized(std::string_view code, std::string_view message) {
  std::shared_ptr<TurnFollower> follower;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    waiting_.clear();
    follower = std::move(follower_);
    stream_.reset();
  }
  if (follower) follower->stop();
  send_error(code, message);
  if (peer_) peer_->close(unauthorized_close, std::string(unauthorized_reason));
}

}  // namespace companion::api
