#include "api/chattr_chat_routes.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <future>

#include "api/chattr_support.hpp"
#include "core/characters/character_service.hpp"
#include "core/sessions/session_id.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::int64_t default_page = 50;
constexpr std::int64_t max_page = 500;
// How long clearing a session waits for a reply it cancelled to be stored.
constexpr auto cancelled_reply_wait = std::chrono::seconds(5);

constexpr const char* message_schema = R"json({
  "type": "object",
  "required": ["message"],
  "properties": {
    "message": {"type": "string", "minLength": 1, "maxLength": 10000},
    "character_id": {"type": "string", "maxLength": 64, "default": "assistant"},
    "session_id": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,128}$",
                   "description": "Continue this session; a new one is created when absent"},
    "context": {"type": "object", "properties": {
      "user_name": {"type": "string", "maxLength": 100, "description": "How the character addresses the user"},
      "conversation_history": {"type": "boolean", "default": true,
                               "description": "false: the reply sees none of the session's earlier messages"}},
      "additionalProperties": {"description": "Other keys describe the user's situation (e.g. location)"}}
  }
})json";

constexpr const char* reply_schema = R"json({
  "type": "object",
  "properties": {
    "response": {"type": "string"},
    "character_id": {"type": "string"},
    "session_id": {"type": "string"},
    "timestamp": {"type": "string", "format": "date-time", "description": "When the reply was stored"},
    "media": {"type": "object", "properties": {
      "audio_url": {"type": ["string", "null"]}, "video_url": {"type": ["string", "null"]}},
      "description": "null until the reply has audio or video"},
    "metadata": {"type": "object", "properties": {
      "tokens_used": {"type": "integer", "description": "Prompt and completion tokens of the turn"},
      "response_time_ms": {"type": "integer", "description": "Measured: request received to reply ready"},
      "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                     "description": "How sure the server was of what the message asked for (its detected intent)"}}}
  }
})json";

constexpr const char* history_schema = R"json({
  "type": "object",
  "properties": {
    "session_id": {"type": "string"},
    "messages": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "string"}, "timestamp": {"type": "string", "format": "date-time"},
      "role": {"type": "string", "enum": ["user", "assistant"]}, "content": {"type": "string"},
      "character_id": {"type": "string"},
      "status": {"type": "string", "enum": ["interrupted", "failed"],
                 "description": "Only on a reply that did not complete"}}}},
    "total_count": {"type": "integer"},
    "has_more": {"type": "boolean"}
  }
})json";

constexpr const char* cleared_schema = R"json({
  "type": "object",
  "properties": {
    "message": {"type": "string"},
    "session_id": {"type": "string"},
    "cleared_at": {"type": "string", "format": "date-time"}
  }
})json";

struct MessageInput {
  std::string message;
  std::string character_id;
  std::optional<std::string> session_id;
  std::string user_name;
  bool with_history = true;
  std::string situation;  // the context's other keys, "location: home"
};

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

// context: {user_name, conversation_history, ...}; every other key describes the user's
// situation, as AI Friend's context does.
void read_context(const json::object& context, MessageInput& input,
                  std::vector<http::FieldError>& errors) {
  for (const auto& [key, value] : context) {
    if (key == "user_name") {
      if (!value.is_string() || value.as_string().size() > chattr_max_user_name)
        errors.push_back({{"body", "context", "user_name"},
                          "a string of at most 100 characters is expected",
                          "type_error.str"});
      else
        input.user_name = std::string(value.as_string());
    } else if (key == "conversation_history") {
      if (!value.is_bool())
        errors.push_back({{"body", "context", "conversation_history"},
                          "value could not be parsed to a boolean",
                          "type_error.bool"});
      else
        input.with_history = value.as_bool();
    } else if (!value.is_null()) {
      if (!input.situation.empty()) input.situation += ", ";
      input.situation += std::string(key) + ": " + text_of(value);
    }
  }
}

MessageInput read_message_input(const http::Request& req) {
  http::JsonBody body(req);
  MessageInput input;
  input.message = body.required_string("message", 1, chattr_max_message);
  input.character_id = body.optional_string("character_id", chattr_max_character_id)
                           .value_or(std::string(core::default_chattr_character_id));
  if (input.character_id.empty())
    input.character_id = std::string(core::default_chattr_character_id);
  input.session_id = body.optional_string("session_id", 128);
  if (input.session_id && !core::is_valid_session_id(*input.session_id))
    body.add_error("session_id", "1 to 128 letters, digits or _-.:", "value_error.str.regex");
  auto context = body.optional_object("context");
  std::vector<http::FieldError> errors;
  try {
    body.check();
  } catch (const http::ValidationError& invalid) {
    errors = invalid.errors();
  }
  if (context) read_context(*context, input, errors);
  if (!errors.empty()) throw http::ValidationError(std::move(errors));
  return input;
}

// Admins and the root key act for the user named by ?user_id=; everyone else for itself.
core::Principal chattr_user(ChatDeps& deps, const http::Request& req) {
  return chat_user(deps, req, req.query("user_id").value_or(""));
}

core::TurnRequest turn_request(const core::Principal& user, MessageInput input) {
  std::string session_id = input.session_id ? *input.session_id : make_uuid();
  auto request = turn_request_for(user, std::move(session_id), std::string(chattr_client_type),
                                  std::move(input.message));
  request.character_id = std::move(input.character_id);
  request.display_name = std::move(input.user_name);
  request.situation = std::move(input.situation);
  // No history: the turn is given an empty conversation instead of the stored one.
  if (!input.with_history) request.client_history.emplace();
  return request;
}

std::int64_t milliseconds_since(http::Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(http::Clock::now() - start).count();
}

json::object reply_json(const core::TurnResult& result, std::int64_t response_time_ms) {
  json::object metadata{{"tokens_used", result.usage.total()},
                        {"response_time_ms", response_time_ms}};
  if (!result.intent.name.empty())
    metadata["confidence"] = std::round(result.intent.confidence * 100) / 100;
  return {{"response", result.reply},
          {"character_id", result.character.id},
          {"session_id", result.conversation.id},
          {"timestamp", chattr_reply_timestamp(result.assistant_message)},
          {"media", chattr_media_json()},
          {"metadata", std::move(metadata)}};
}

http::Response send_message(ChatDeps& deps, http::Request& req) {
  auto input = read_message_input(req);
  auto user = chattr_user(deps, req);
  auto result = run_whole_turn(deps, turn_request(user, std::move(input)));
  if (result.status == core::TurnStatus::Failed)
    throw http::HttpError(503, "The language model could not answer: " + result.error);
  return http::Response::json(200, reply_json(result, milliseconds_since(req.received_at)));
}

// The caller's session, or 404: another user's session is answered exactly like a missing
// one, so its existence is not revealed.
core::Conversation own_session(ChatDeps& deps, const core::Principal& user, std::string_view id) {
  auto conversation = deps.turns->conversations().store().find(id);
  if (!conversation || conversation->user_id != user.user_id)
    throw http::HttpError(404, "Session not found");
  return *conversation;
}

json::object message_json(const core::StoredMessage& m) {
  json::object out{{"id", m.id},
                   {"timestamp", iso8601_ms(m.created_at_ms)},
                   {"role", std::string(core::chat_role_name(m.role))},
                   {"content", m.content},
                   {"character_id", m.character_id}};
  if (m.status != core::TurnStatus::Complete)
    out["status"] = std::string(core::turn_status_name(m.status));
  return out;
}

http::Response history(ChatDeps& deps, http::Request& req) {
  http::QueryParams query(req);
  auto limit = query.integer("limit", default_page, 1, max_page);
  auto offset = query.integer("offset", 0, 0, 1'000'000'000);
  query.check();
  auto user = chattr_user(deps, req);
  auto session = own_session(deps, user, req.param("session_id"));
  auto& store = deps.turns->conversations().store();
  core::MessagePage page{static_cast<std::size_t>(limit), static_cast<std::size_t>(offset),
                         core::MessageOrder::OldestFirst};
  json::array messages;
  for (const auto& m : store.messages(session.id, page)) messages.push_back(message_json(m));
  auto total = store.message_count(session.id);
  bool has_more = offset + static_cast<std::int64_t>(messages.size()) < total;
  return http::Response::json(200, json::object{{"session_id", session.id},
                                                {"messages", std::move(messages)},
                                                {"total_count", total},
                                                {"has_more", has_more}});
}

// A reply still being written would be stored into the session after it was cleared: it
// is cancelled, and clearing waits (briefly) until its interrupted part is stored.
void stop_running_reply(ChatDeps& deps, const std::string& session_id) {
  auto running = deps.turns->streams().running(session_id);
  if (!running) return;
  running->cancellation().cancel();
  auto ended = std::make_shared<std::promise<void>>();
  auto stored = ended->get_future();
  auto follower = TurnFollower::follow(running, 0, [ended](const core::StreamEvent& event) {
    if (event.kind == core::StreamEvent::Kind::End) ended->set_value();
  });
  stored.wait_for(cancelled_reply_wait);
  follower->stop();
}

http::Response clear_history(ChatDeps& deps, http::Request& req) {
  auto user = chattr_user(deps, req);
  auto session = own_session(deps, user, req.param("session_id"));
  stop_running_reply(deps, session.id);
  deps.turns->conversations().store().clear(session.id);
  return http::Response::json(200,
                              json::object{{"message", "Conversation history cleared successfully"},
                                           {"session_id", session.id},
                                           {"cleared_at", http::iso8601_now()}});
}

}  // namespace

void register_chattr_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  http::RouteDoc message_doc{
      "Send a message to a character and receive its reply", "Chattr",
      "Runs one whole turn in the session (created when absent or new). context.user_name "
      "is how the character addresses the user; context.conversation_history false answers "
      "without the session's earlier messages. Query user_id: admins act for that user."};
  message_doc.request_schema = message_schema;
  message_doc.response_schema = reply_schema;
  message_doc.error_statuses = {401, 403, 404, 422, 429, 503};
  add_chat_route(router, deps, http::Method::Post, "/api/v1/chat/message", send_message,
                 message_doc, ChatWork::WholeTurn);

  http::RouteDoc history_doc{"A session's conversation history", "Chattr",
                             "Oldest first. Query: limit (1-500, default 50), offset (default "
                             "0). Another user's session answers 404 like a missing one."};
  history_doc.response_schema = history_schema;
  history_doc.error_statuses = {401, 404, 422};
  add_chat_route(router, deps, http::Method::Get, "/api/v1/chat/history/{session_id}", history,
                 history_doc);

  http::RouteDoc clear_doc{"Clear a session's conversation history", "Chattr",
                           "Deletes the session's messages (a reply still being written is "
                           "stopped first); the session itself stays and can go on."};
  clear_doc.response_schema = cleared_schema;
  clear_doc.error_statuses = {401, 404};
  add_chat_route(router, deps, http::Method::Delete, "/api/v1/chat/history/{session_id}",
                 clear_history, clear_doc);
}

}  // namespace companion::api
