#include "api/youworker_chat_routes.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "core/sessions/session_id.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_text = 100000;
constexpr std::size_t max_messages = 500;

constexpr const char* stream_schema = R"({
  "type": "object",
  "required": ["messages"],
  "properties": {
    "messages": {"type": "array", "items": {"type": "object", "required": ["role", "content"], "properties": {
      "role": {"type": "string", "enum": ["user", "assistant", "system"]},
      "content": {"type": "string"}}},
      "description": "The last message is the user's. Without session_id the earlier ones are the conversation so far; with one, the stored session is"},
    "session_id": {"type": "string", "description": "Continue this session; a new one is created when absent"},
    "enable_tools": {"type": "boolean", "default": true},
    "model": {"type": "string", "description": "A model id from /v1/models"},
    "assistant_language": {"type": "string"}
  }
})";

constexpr const char* unified_schema = R"({
  "type": "object",
  "properties": {
    "text_input": {"type": "string", "description": "Required unless messages ends with the user's message"},
    "audio_b64": {"type": ["string", "null"], "description": "Not accepted here: send text_input"},
    "sample_rate": {"type": "integer", "minimum": 8000, "maximum": 48000},
    "messages": {"type": "array", "items": {"type": "object"}},
    "session_id": {"type": "string"},
    "enable_tools": {"type": "boolean", "default": true},
    "expect_audio": {"type": "boolean", "default": false},
    "model": {"type": "string"},
    "assistant_language": {"type": "string"}
  }
})";

constexpr const char* unified_reply_schema = R"({
  "type": "object",
  "properties": {
    "content": {"type": "string"},
    "transcript": {"type": ["string", "null"]},
    "metadata": {"type": "object"},
    "audio_b64": {"type": ["string", "null"]},
    "audio_sample_rate": {"type": ["integer", "null"]},
    "stt_confidence": {"type": ["number", "null"]},
    "stt_language": {"type": ["string", "null"]},
    "tool_events": {"type": "array", "items": {"type": "object", "properties": {
      "tool": {"type": "string"}, "status": {"type": "string", "enum": ["start", "end", "error"]},
      "args": {"type": "object"}, "latency_ms": {"type": "integer"},
      "result_preview": {"type": "string"}, "error_message": {"type": "string"}}}},
    "assistant_language": {"type": ["string", "null"]}
  }
})";

constexpr const char* sessions_schema = R"({
  "type": "object",
  "properties": {
    "sessions": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "integer"}, "external_id": {"type": "string"}, "title": {"type": "string"},
      "created_at": {"type": "string"}, "message_count": {"type": "integer"},
      "last_activity": {"type": "string"}}}},
    "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"}
  }
})";

constexpr const char* messages_schema = R"({
  "type": "object",
  "properties": {
    "messages": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "integer"}, "role": {"type": "string"}, "content": {"type": "string"},
      "timestamp": {"type": "string"},
      "status": {"type": "string", "enum": ["complete", "interrupted", "failed"]}}}},
    "total": {"type": "integer"}
  }
})";

struct ChatInput {
  std::string text;
  std::vector<core::ChatMessage> earlier;  // the messages before the user's last one
  std::optional<std::string> session_id;
  bool enable_tools = true;
  std::string model;
  std::optional<std::string> language;
};

// "messages": [{role, content}] with string contents and known roles; nullopt when absent
// or wrong (the error is recorded).
std::optional<std::vector<core::ChatMessage>> read_messages(http::JsonBody& body) {
  const auto* raw = body.raw("messages");
  if (!raw || raw->is_null()) return std::nullopt;
  if (!raw->is_array() || raw->as_array().size() > max_messages) {
    body.add_error("messages", "must be a list of at most 500 messages", "type_error.list");
    return std::nullopt;
  }
  std::vector<core::ChatMessage> messages;
  for (const auto& item : raw->as_array()) {
    const auto* object = item.if_object();
    const auto* role = object ? object->if_contains("role") : nullptr;
    const auto* content = object ? object->if_contains("content") : nullptr;
    bool known_role = role && role->is_string() &&
                      (role->as_string() == "user" || role->as_string() == "assistant" ||
                       role->as_string() == "system");
    if (!known_role || !content || !content->is_string() ||
        content->as_string().size() > max_text) {
      body.add_error("messages", "each message needs a role (user, assistant, system) and text",
                     "value_error");
      return std::nullopt;
    }
    messages.push_back(
        {core::parse_chat_role(role->as_string()), std::string(content->as_string()), {}, {}, {}});
  }
  return messages;
}

// Takes the user's last message out of `messages` as the text of the turn.
bool take_last_user_message(std::vector<core::ChatMessage>& messages, ChatInput& input) {
  if (messages.empty() || messages.back().role != core::ChatRole::User) return false;
  input.text = std::move(messages.back().content);
  messages.pop_back();
  input.earlier = std::move(messages);
  return true;
}

void read_common(http::JsonBody& body, ChatInput& input) {
  input.session_id = body.optional_string("session_id", 128);
  if (input.session_id && !core::is_valid_session_id(*input.session_id))
    body.add_error("session_id", "1 to 128 letters, digits or _-.:", "value_error.str.regex");
  input.enable_tools = body.optional_bool("enable_tools").value_or(true);
  input.model = body.optional_string("model", 200).value_or("");
  input.language = body.optional_string("assistant_language", 16);
}

ChatInput read_stream_input(const http::Request& req) {
  http::JsonBody body(req);
  ChatInput input;
  auto messages = read_messages(body);
  if (!body.has("messages")) {
    body.add_error("messages", "field required", "value_error.missing");
  } else if (messages && !take_last_user_message(*messages, input)) {
    body.add_error("messages", "the last message must be the user's", "value_error");
  }
  read_common(body, input);
  body.check();
  return input;
}

ChatInput read_unified_input(const http::Request& req) {
  http::JsonBody body(req);
  ChatInput input;
  auto text = body.optional_string("text_input", max_text);
  auto messages = read_messages(body);
  body.optional_int("sample_rate", 8000, 48000);
  body.optional_bool("expect_audio");
  body.optional_string("audio_b64", 50u << 20);
  read_common(body, input);
  if (text && !text->empty()) {
    input.text = std::move(*text);
    if (messages) input.earlier = std::move(*messages);
  } else if (!messages || !take_last_user_message(*messages, input)) {
    // Speech goes through /v1/chat/voice; this endpoint answers text.
    body.add_error("text_input", "field required (audio input is not accepted here)",
                   "value_error.missing");
  }
  body.check();
  return input;
}

core::Principal youworker_user(ChatDeps& deps, const http::Request& req) {
  return chat_user(deps, req, req.query("user_id").value_or(""));
}

// A continued session answers from what is stored; a new one from what the client sent.
core::TurnRequest request_for(const core::Principal& user, ChatInput& input) {
  bool continuing = input.session_id.has_value();
  auto session_id = continuing ? *input.session_id : make_uuid();
  auto request = turn_request_for(user, std::move(session_id), std::string(youworker_client_type),
                                  std::move(input.text));
  request.use_tools = input.enable_tools;
  request.model = input.model;
  request.reply_language = input.language.value_or("");
  if (!continuing && !input.earlier.empty()) request.client_history = std::move(input.earlier);
  return request;
}

json::object reply_metadata(const core::TurnResult& result) {
  return {{"session_id", result.conversation.id},
          {"turn_id", result.turn_id},
          {"model", result.model},
          {"status", std::string(core::turn_status_name(result.status))},
          {"usage", json::object{{"prompt_tokens", result.usage.prompt_tokens},
                                 {"completion_tokens", result.usage.completion_tokens},
                                 {"total_tokens", result.usage.total()}}},
          {"duration_ms", std::round(result.timings.total_ms)},
          {"tool_calls", static_cast<std::int64_t>(result.tools.size())}};
}

http::SseEvent sse_event(std::string_view name, json::object data, const std::string& id) {
  json::object body{{"event", name}, {"data", std::move(data)}};
  return {"", http::to_json_text(body), id, 0};
}

std::vector<http::SseEvent> youworker_sse(const core::StreamEvent& event) {
  using Kind = core::StreamEvent::Kind;
  switch (event.kind) {
    case Kind::Start:
      return {};
    case Kind::Text:
      return {sse_event("token", {{"text", event.text}}, event.id)};
    case Kind::Tool:
      return {sse_event("tool", youworker_tool_event(event.tool), event.id)};
    case Kind::End:
      break;
  }
  const auto& result = *event.end;
  if (result.status == core::TurnStatus::Failed)
    return {sse_event("error",
                      {{"message", "The language model could not answer: " + result.error},
                       {"metadata", reply_metadata(result)}},
                      event.id)};
  return {sse_event("done", {{"final_text", result.reply}, {"metadata", reply_metadata(result)}},
                    event.id)};
}

http::Response chat_stream(ChatDeps& deps, http::Request& req) {
  auto user = youworker_user(deps, req);
  // A client that lost the stream POSTs again with Last-Event-ID: resume the same reply.
  if (last_event_id(req)) {
    auto resume = resumption_for(deps.turns->streams(), req, user.user_id);
    if (!resume)
      throw http::HttpError(404,
                            "Unknown or expired Last-Event-ID: the reply is no longer "
                            "resumable, its messages are in the session");
    return relay_turn_as_sse(resume->stream, resume->after, youworker_sse);
  }
  auto input = read_stream_input(req);
  auto turn = start_turn(deps, request_for(user, input));
  return relay_turn_as_sse(turn, 0, youworker_sse);
}

json::value string_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::string(*text);
}

http::Response unified(ChatDeps& deps, http::Request& req) {
  auto input = read_unified_input(req);
  auto user = youworker_user(deps, req);
  auto language = input.language;
  auto result = run_whole_turn(deps, request_for(user, input));
  if (result.status == core::TurnStatus::Failed)
    throw http::HttpError(502, "The language model could not answer: " + result.error);
  json::array tool_events;
  for (const auto& tool : result.tools) tool_events.push_back(youworker_tool_event(tool));
  return http::Response::json(200, json::object{{"content", result.reply},
                                                {"transcript", nullptr},
                                                {"metadata", reply_metadata(result)},
                                                {"audio_b64", nullptr},
                                                {"audio_sample_rate", nullptr},
                                                {"stt_confidence", nullptr},
                                                {"stt_language", nullptr},
                                                {"tool_events", std::move(tool_events)},
                                                {"assistant_language", string_or_null(language)}});
}

json::object session_json(const core::Conversation& c) {
  return {{"id", c.row_id},
          {"external_id", c.id},
          {"title", c.title},
          {"created_at", http::iso8601_from_unix(c.created_at)},
          {"message_count", c.message_count},
          {"last_activity", http::iso8601_from_unix(c.last_activity)}};
}

http::Response list_sessions(ChatDeps& deps, http::Request& req) {
  http::QueryParams query(req);
  auto limit = query.integer("limit", 20, 1, 1000);
  auto offset = query.integer("offset", 0, 0, 1'000'000'000);
  query.check();
  auto user = youworker_user(deps, req);
  auto& store = deps.turns->conversations().store();
  json::array sessions;
  for (const auto& c :
       store.list(user.user_id, static_cast<std::size_t>(limit), static_cast<std::size_t>(offset)))
    sessions.push_back(session_json(c));
  return http::Response::json(200, json::object{{"sessions", std::move(sessions)},
                                                {"total", store.count(user.user_id)},
                                                {"limit", limit},
                                                {"offset", offset}});
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
  return {{"id", m.row_id},
          {"role", std::string(core::chat_role_name(m.role))},
          {"content", m.content},
          {"timestamp", iso8601_ms(m.created_at_ms)},
          {"status", std::string(core::turn_status_name(m.status))}};
}

http::Response session_messages(ChatDeps& deps, http::Request& req) {
  http::QueryParams query(req);
  auto limit = query.integer("limit", 1000, 1, 1000);
  auto offset = query.integer("offset", 0, 0, 1'000'000'000);
  query.check();
  auto user = youworker_user(deps, req);
  auto session = own_session(deps, user, req.param("session_id"));
  auto& store = deps.turns->conversations().store();
  core::MessagePage page{static_cast<std::size_t>(limit), static_cast<std::size_t>(offset),
                         core::MessageOrder::OldestFirst};
  json::array messages;
  for (const auto& m : store.messages(session.id, page)) messages.push_back(message_json(m));
  return http::Response::json(200, json::object{{"session_id", session.id},
                                                {"messages", std::move(messages)},
                                                {"total", store.message_count(session.id)}});
}

http::Response delete_session(ChatDeps& deps, http::Request& req) {
  auto user = youworker_user(deps, req);
  auto session = own_session(deps, user, req.param("session_id"));
  // A reply still being written would be stored into the session being deleted.
  if (auto running = deps.turns->streams().running(session.id)) running->cancellation().cancel();
  auto& store = deps.turns->conversations().store();
  auto deleted = store.message_count(session.id);
  store.remove(session.id);
  return http::Response::json(200,
                              json::object{{"status", "success"}, {"deleted_messages", deleted}});
}

}  // namespace

json::object youworker_tool_event(const core::ToolActivity& activity) {
  boost::system::error_code ec;
  auto args = json::parse(activity.arguments_json, ec);
  json::object out{
      {"tool", activity.tool},
      {"args", !ec && args.is_object() ? std::move(args.as_object()) : json::object{}}};
  switch (activity.phase) {
    case core::ToolActivity::Phase::Started:
      out["status"] = "start";
      break;
    case core::ToolActivity::Phase::Finished:
      out["status"] = "end";
      out["latency_ms"] = activity.latency_ms;
      out["result_preview"] = activity.result_preview;
      break;
    case core::ToolActivity::Phase::Failed:
      out["status"] = "error";
      out["latency_ms"] = activity.latency_ms;
      out["error_message"] = activity.error;
      break;
  }
  return out;
}

void register_youworker_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  auto add = [&](http::Method method, std::string pattern, auto handler, http::RouteDoc doc,
                 ChatWork work = ChatWork::Brief) {
    add_chat_route(router, deps, method, std::move(pattern), handler, std::move(doc), work);
  };
  http::RouteDoc stream_doc{
      "Stream chat responses (SSE)", "YouWorker",
      "data: {\"event\": \"token\", \"data\": {\"text\"}} per piece of the reply, {\"event\": "
      "\"tool\", \"data\": ToolEvent} as tools run, then {\"event\": \"done\", \"data\": "
      "{\"final_text\", \"metadata\"}} (or an \"error\" event). Every event has an id; POSTing "
      "again with Last-Event-ID resumes the same reply (404 once it is no longer kept)."};
  stream_doc.request_schema = stream_schema;
  stream_doc.response_content_type = "text/event-stream";
  stream_doc.error_statuses = {400, 401, 403, 404, 422, 429, 503};
  add(http::Method::Post, "/v1/chat/stream", chat_stream, stream_doc);

  http::RouteDoc unified_doc{"Unified chat: text in, the whole reply out", "YouWorker",
                             "Runs a whole turn. Audio input is not accepted here (use "
                             "/v1/chat/voice); audio fields of the answer are null."};
  unified_doc.request_schema = unified_schema;
  unified_doc.response_schema = unified_reply_schema;
  unified_doc.error_statuses = {400, 401, 403, 404, 422, 429, 502};
  add(http::Method::Post, "/v1/chat/unified", unified, unified_doc, ChatWork::WholeTurn);

  http::RouteDoc list_doc{"The caller's chat sessions", "YouWorker",
                          "Most recently active first. Query: limit (default 20), offset."};
  list_doc.response_schema = sessions_schema;
  list_doc.error_statuses = {401, 422};
  add(http::Method::Get, "/v1/sessions", list_sessions, list_doc);

  http::RouteDoc messages_doc{"Messages of a session, oldest first", "YouWorker",
                              "Query: limit (default 1000), offset. An interrupted reply has "
                              "status \"interrupted\"."};
  messages_doc.response_schema = messages_schema;
  messages_doc.error_statuses = {401, 404, 422};
  add(http::Method::Get, "/v1/sessions/{session_id}/messages", session_messages, messages_doc);

  http::RouteDoc delete_doc{"Delete a session and all its messages", "YouWorker",
                            "A reply still streaming in it is stopped first."};
  delete_doc.error_statuses = {401, 404};
  add(http::Method::Delete, "/v1/sessions/{session_id}", delete_session, delete_doc);
}

}  // namespace companion::api
