#include "api/friend_chat_routes.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "api/friend_session.hpp"
#include "core/conversation/turn_metadata.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/json_text.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::string_view client_type = friend_client_type;
constexpr std::size_t max_message = 10000;

constexpr const char* send_schema = R"({
  "type": "object",
  "required": ["message"],
  "properties": {
    "message": {"type": "string", "minLength": 1, "maxLength": 10000},
    "context": {"type": "object", "description": "The user's situation, e.g. location, time_of_day"},
    "save_to_memory": {"type": "boolean", "default": true,
                       "description": "Extract facts from the message into long-term memory"},
    "session_id": {"type": "string", "description": "Continue this session instead of the current one"},
    "character_id": {"type": "string"},
    "model": {"type": "string"},
    "user_id": {"type": "string", "description": "Admins only: the user to act for"}
  }
})";

constexpr const char* reply_schema = R"({
  "type": "object",
  "properties": {
    "response": {"type": "string"},
    "emotion": {"type": "object", "properties": {
      "primary_emotion": {"type": "string"}, "confidence": {"type": "number"},
      "all_emotions": {"type": "object", "additionalProperties": {"type": "number"}},
      "sentiment_score": {"type": "number"}, "subjectivity": {"type": "number"},
      "intensity": {"type": "string", "enum": ["low", "medium", "high"]}}},
    "processing_time": {"type": "number", "description": "seconds, measured"},
    "memories_used": {"type": "integer"},
    "session_id": {"type": "string"},
    "turn_id": {"type": "string"},
    "model": {"type": "string"},
    "sources": {"type": "array", "items": {"type": "object"}},
    "facts_remembered": {"type": "array", "items": {"type": "string"}}
  }
})";

std::string situation_text(const json::object& context) {
  std::string out;
  for (const auto& [key, value] : context) {
    if (!out.empty()) out += ", ";
    out += std::string(key) + ": " +
           (value.is_string() ? std::string(value.as_string()) : json::serialize(value));
  }
  return out;
}

double seconds(double ms) {
  return std::round(ms) / 1000.0;
}

json::array sources_json(const std::vector<core::RetrievedPassage>& sources) {
  json::array out;
  for (const auto& s : sources) {
    json::object item{{"document_id", s.document_id}, {"document", s.document_title}};
    if (s.page) item["page"] = *s.page;
    out.push_back(std::move(item));
  }
  return out;
}

json::object reply_json(const core::TurnResult& result) {
  json::array facts;
  for (const auto& fact : result.remembered) facts.emplace_back(fact);
  return {{"response", result.reply},
          {"emotion", friend_emotion_json(result.user_emotion)},
          {"processing_time", seconds(result.timings.total_ms)},
          {"memories_used", static_cast<std::int64_t>(result.memories.size())},
          {"session_id", result.conversation.id},
          {"turn_id", result.turn_id},
          {"model", result.model},
          {"sources", sources_json(result.sources)},
          {"facts_remembered", std::move(facts)}};
}

void fail_if_model_failed(const core::TurnResult& result) {
  if (result.status == core::TurnStatus::Failed)
    throw http::HttpError(502, "The language model could not answer: " + result.error);
}

http::Response send(ChatDeps& deps, http::Request& req) {
  http::JsonBody body(req);
  auto message = body.required_string("message", 1, max_message);
  auto context = body.optional_object("context");
  auto save = body.optional_bool("save_to_memory").value_or(true);
  auto session = body.optional_string("session_id", 128);
  auto character = body.optional_string("character_id", 64).value_or("");
  auto model = body.optional_string("model", 200).value_or("");
  auto named = body.optional_string("user_id", 64).value_or("");
  body.check();
  auto user = chat_user(deps, req, named);
  std::string session_id = session ? *session : current_friend_session(deps, user.user_id);
  auto request = turn_request_for(user, session_id, std::string(client_type), message);
  request.remember_facts = save;
  request.character_id = character;
  request.model = model;
  if (context) request.situation = situation_text(*context);
  auto result = run_whole_turn(deps, std::move(request));
  fail_if_model_failed(result);
  return http::Response::json(200, reply_json(result));
}

std::vector<http::SseEvent> friend_sse(const core::StreamEvent& event) {
  using Kind = core::StreamEvent::Kind;
  if (event.kind == Kind::Text) return {{"message", event.text, event.id, 0}};
  if (event.kind != Kind::End) return {};
  const auto& result = *event.end;
  if (result.status == core::TurnStatus::Failed)
    return {{"error", http::to_json_text(json::object{{"detail", result.error}}), event.id, 0}};
  return {{"done", "complete", event.id, 0}};
}

http::Response stream(ChatDeps& deps, http::Request& req) {
  http::QueryParams query(req);
  auto message = query.string("message", max_message);
  auto named = query.string("user_id", 64).value_or("");
  auto character = query.string("character_id", 64).value_or("");
  query.check();
  auto user = chat_user(deps, req, named);
  // EventSource reconnects to the same URL with Last-Event-ID: resume, do not ask again.
  if (auto resume = resumption_for(deps.turns->streams(), req, user.user_id))
    return relay_turn_as_sse(resume->stream, resume->after, friend_sse);
  if (!message || message->empty())
    throw http::ValidationError({{{"query", "message"}, "field required", "value_error.missing"}});
  auto request = turn_request_for(user, current_friend_session(deps, user.user_id),
                                  std::string(client_type), *message);
  request.character_id = character;
  auto turn = start_turn(deps, std::move(request));
  return relay_turn_as_sse(turn, 0, friend_sse);
}

json::object message_json(const core::StoredMessage& m) {
  json::object out{{"id", m.row_id},
                   {"message_id", m.id},
                   {"role", std::string(core::chat_role_name(m.role))},
                   {"content", m.content},
                   {"emotion", m.emotion.empty() ? "neutral" : m.emotion},
                   {"timestamp", iso8601_ms(m.created_at_ms)}};
  if (m.status != core::TurnStatus::Complete)
    out["status"] = std::string(core::turn_status_name(m.status));
  return out;
}

// The seconds a reply took, as its turn measured them (kept in the message's metadata).
std::optional<double> processing_seconds(const core::StoredMessage& m) {
  boost::system::error_code ec;
  auto meta = json::parse(m.metadata_json, ec);
  if (ec || !meta.is_object()) return std::nullopt;
  const auto* timings = meta.as_object().if_contains("timings");
  if (!timings || !timings->is_object()) return std::nullopt;
  const auto* total = timings->as_object().if_contains("total_ms");
  if (!total || !total->is_number()) return std::nullopt;
  return total->to_number<double>() / 1000.0;
}

http::Response history(ChatDeps& deps, http::Request& req) {
  http::QueryParams query(req);
  auto limit = query.integer("limit", 50, 1, 1000);
  auto named = query.string("user_id", 64).value_or("");
  auto session = query.string("session_id", 128);
  query.check();
  auto user = chat_user(deps, req, named);
  auto& store = deps.turns->conversations().store();
  std::string session_id = session ? *session : current_friend_session(deps, user.user_id);
  auto conversation = store.find(session_id);
  if (!conversation || conversation->user_id != user.user_id)
    throw http::HttpError(404, "Session not found");
  core::MessagePage page{static_cast<std::size_t>(limit), 0, core::MessageOrder::NewestFirst};
  auto newest = store.messages(session_id, page);
  std::reverse(newest.begin(), newest.end());
  json::array messages;
  double total_seconds = 0;
  int timed = 0;
  for (const auto& m : newest) {
    messages.push_back(message_json(m));
    if (m.role == core::ChatRole::Assistant) {
      if (auto s = processing_seconds(m)) {
        total_seconds += *s;
        ++timed;
      }
    }
  }
  json::object stats{
      {"message_count", store.message_count(session_id)},
      {"avg_processing_time", timed ? std::round(total_seconds / timed * 1000) / 1000 : 0.0}};
  return http::Response::json(200, json::object{{"conversation_id", conversation->row_id},
                                                {"session_id", session_id},
                                                {"user_id", user.username},
                                                {"stats", std::move(stats)},
                                                {"messages", std::move(messages)}});
}

http::Response clear(ChatDeps& deps, http::Request& req) {
  http::QueryParams query(req);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = chat_user(deps, req, named);
  auto& store = deps.turns->conversations().store();
  std::int64_t deleted = 0;
  if (auto latest = store.latest(user.user_id, client_type)) deleted = store.clear(latest->id);
  auto fresh = make_uuid();
  deps.turns->conversations().open(user.user_id, fresh, std::string(client_type), "");
  return http::Response::json(200, json::object{{"message", "Conversation cleared"},
                                                {"new_session_id", fresh},
                                                {"messages_deleted", deleted}});
}

}  // namespace

void register_friend_chat_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  auto add = [&](http::Method method, std::string pattern, auto handler, http::RouteDoc doc,
                 ChatWork work = ChatWork::Brief) {
    add_chat_route(router, deps, method, std::move(pattern), handler, std::move(doc), work);
  };
  http::RouteDoc send_doc{"Send a message and get the companion's reply", "Chat",
                          "Runs a whole turn: emotion, memories and documents, the reply, "
                          "facts remembered. processing_time is measured."};
  send_doc.request_schema = send_schema;
  send_doc.response_schema = reply_schema;
  send_doc.error_statuses = {401, 403, 404, 422, 429, 502};
  add(http::Method::Post, "/api/chat/send", send, send_doc, ChatWork::WholeTurn);

  http::RouteDoc stream_doc{"Stream the reply word by word (SSE)", "Chat",
                            "Events: `message` (a piece of the reply), then `done` with data "
                            "`complete`. Every event has an id; reconnecting with "
                            "Last-Event-ID resumes the same reply instead of asking again."};
  stream_doc.response_content_type = "text/event-stream";
  stream_doc.error_statuses = {401, 403, 422, 429};
  add(http::Method::Get, "/api/chat/stream", stream, stream_doc);

  http::RouteDoc history_doc{"The current conversation's messages", "Chat",
                             "Query: limit (default 50), session_id."};
  history_doc.error_statuses = {401, 404, 422};
  add(http::Method::Get, "/api/chat/history", history, history_doc);

  http::RouteDoc clear_doc{"Clear the current conversation and start a new one", "Chat", ""};
  clear_doc.error_statuses = {401};
  add(http::Method::Delete, "/api/chat/clear", clear, clear_doc);
}

}  // namespace companion::api
