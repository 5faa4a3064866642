#include "api/coach_chats_routes.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <random>

#include "api/coach_rest_support.hpp"
#include "core/affect/emotion_stats.hpp"
#include "core/characters/character_service.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

// The version of the `meta` object's shape.
constexpr std::string_view meta_schema_version = "engine.v3";
constexpr std::size_t max_text = 100000;

constexpr const char* chat_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "integer", "readOnly": true},
    "session": {"type": "integer", "description": "The session's numeric id; cannot change"},
    "query": {"type": "string"},
    "response": {"type": "string"},
    "status": {"type": "string", "enum": ["complete", "interrupted", "failed"], "readOnly": true,
               "description": "interrupted: the reply was stopped or replaced by a newer query"},
    "emotion": {"type": "object", "readOnly": true, "properties": {
      "items": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "intensity": {"type": "integer"}}}},
      "stats": {"type": "object", "properties": {"count": {"type": "integer"}, "avg": {"type": "object"}, "max": {"type": "object"}, "last": {"type": "object"}}}}},
    "meta": {"type": "object", "properties": {
      "schema": {"type": "string"}, "bot_id": {"type": ["string", "null"]}, "thread_id": {"type": "string"},
      "model": {"type": "string"}, "timings_ms": {"type": "object"}, "response_len": {"type": "integer"},
      "tools": {"type": "array", "items": {"type": "string"}}}},
    "created_at": {"type": "string", "format": "date-time", "readOnly": true}
  }
})";

json::value parsed_object(const std::string& text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  return !ec && value.is_object() ? value : json::value(json::object{});
}

std::int64_t rounded_ms(const json::object& timings, std::string_view key) {
  const auto* value = timings.if_contains(key);
  return value && value->is_number() ? std::llround(value->to_number<double>()) : 0;
}

std::int64_t code_points(std::string_view text) {
  std::int64_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// What the turn kept beside its reply: the timings and the tools it called.
json::object reply_meta(const core::ArchivedTurn& turn, const json::value& bot_id) {
  auto metadata = parsed_object(turn.reply.metadata_json).as_object();
  json::object timings;
  if (auto* t = metadata.if_contains("timings"); t && t->is_object()) {
    for (auto key : {"prepare_ms", "run_ms", "total_ms"})
      timings[key] = rounded_ms(t->as_object(), key);
  }
  // The engine stores its metadata before the turn's total is known; the stored times of
  // the question (the turn's start) and the reply (when it was stored) measure it.
  bool engine_turn = !metadata.contains("imported");
  if (engine_turn && (!timings.contains("total_ms") || timings["total_ms"] == 0))
    timings["total_ms"] =
        std::max<std::int64_t>(0, turn.reply.created_at_ms - turn.question.created_at_ms);
  json::array tools;
  if (auto* list = metadata.if_contains("tools"); list && list->is_array()) {
    for (const auto& tool : list->as_array()) {
      const json::value* name = tool.is_object() ? tool.as_object().if_contains("tool") : nullptr;
      if (name && name->is_string()) tools.push_back(*name);
    }
  }
  return {{"schema", meta_schema_version},
          {"bot_id", bot_id},
          {"thread_id", turn.reply.conversation_id},
          {"model", turn.reply.model},
          {"timings_ms", std::move(timings)},
          {"response_len", code_points(turn.reply.content)},
          {"tools", std::move(tools)}};
}

json::object emotion_json(const core::ReplyEmotion& emotion) {
  auto label_map = [](const auto& values) {
    json::object out;
    for (const auto& [name, value] : values) out[name] = value;
    return out;
  };
  json::object avg;
  for (const auto& [name, value] : emotion.stats.avg) avg[name] = std::round(value * 100) / 100;
  json::object body = coach_emotion_json(emotion.items);
  body["stats"] = {{"count", emotion.stats.count},
                   {"avg", std::move(avg)},
                   {"max", label_map(emotion.stats.max)},
                   {"last", label_map(emotion.stats.last)}};
  return body;
}

// Shapes chats, remembering the agents it looked up (a page names a few at most).
class ChatShaper {
 public:
  ChatShaper(CoachDeps& deps, const core::Principal& user) : deps_(deps), user_(user) {}

  json::object operator()(const core::ArchivedTurn& turn) {
    core::ReplyEmotion emotion;
    if (deps_.chat->emotions)
      emotion = core::reply_emotion(*deps_.chat->emotions, turn.reply.content);
    return {{"id", turn.id},
            {"session", turn.conversation_row_id},
            {"query", turn.question.content},
            {"response", turn.reply.content},
            {"status", std::string(core::turn_status_name(turn.reply.status))},
            {"emotion", emotion_json(emotion)},
            {"meta", reply_meta(turn, bot_id_of(turn.reply.character_id))},
            {"created_at", coach_time(turn.reply.created_at_ms / 1000)}};
  }

 private:
  json::value bot_id_of(const std::string& character_id) {
    auto found = bot_ids_.find(character_id);
    if (found != bot_ids_.end()) return found->second;
    json::value bot_id = nullptr;
    if (auto character = deps_.chat->characters->resolve(user_.user_id, character_id))
      bot_id = character->bot_id;
    bot_ids_.emplace(character_id, bot_id);
    return bot_id;
  }

  CoachDeps& deps_;
  const core::Principal& user_;
  std::map<std::string, json::value> bot_ids_;
};

// The user's chat (a turn of one of the user's coach sessions); 404 otherwise.
core::ArchivedTurn owned_chat(CoachDeps& deps, const core::Principal& user, std::int64_t id) {
  auto turn = deps.archive->turn(id);
  if (!turn || turn->reply.user_id != user.user_id) throw http::HttpError(404, "Not found.");
  owned_session(deps, user, turn->conversation_row_id);
  return *turn;
}

std::optional<std::int64_t> session_filter(const http::Request& req) {
  http::QueryParams query(req);
  auto session = query.integer("session", 0, 1, std::numeric_limits<std::int64_t>::max());
  query.check();
  return req.query("session") ? std::optional(session) : std::nullopt;
}

http::Response list(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  auto page = page_request(req);
  core::TurnQuery query{user.user_id, std::string(coach_client_type), session_filter(req),
                        page.limit(), page.offset()};
  ChatShaper shape(deps, user);
  json::array results;
  for (const auto& turn : deps.archive->turns(query)) results.push_back(shape(turn));
  return page_response(req, page, deps.archive->count_turns(query), std::move(results));
}

http::Response retrieve(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  ChatShaper shape(deps, user);
  return http::Response::json(200, shape(owned_chat(deps, user, id_param(req))));
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string new_turn_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = "turn_";
  std::uint64_t bits = rng();
  for (int i = 0; i < 16; ++i, bits >>= 4) id += hex[bits & 0xf];
  return id;
}

// An imported reply keeps the timings and tools the client reports, in the shape the
// engine stores them, so that reading them back does not depend on where a chat came from.
std::string imported_metadata(const json::object& meta) {
  json::object timings;
  if (auto* t = meta.if_contains("timings_ms"); t && t->is_object()) {
    for (auto key : {"prepare_ms", "run_ms", "total_ms"})
      if (auto* v = t->as_object().if_contains(key); v && v->is_number()) timings[key] = *v;
  }
  json::array tools;
  if (auto* list = meta.if_contains("tools"); list && list->is_array()) {
    for (const auto& name : list->as_array())
      if (name.is_string()) tools.push_back({{"tool", name}, {"ok", true}});
  }
  return json::serialize(json::object{
      {"imported", true}, {"timings", std::move(timings)}, {"tools", std::move(tools)}});
}

http::Response create(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  http::JsonBody body(req);
  auto session_id = body.optional_int("session", 1, std::numeric_limits<std::int64_t>::max());
  if (!body.has("session")) body.add_error("session", "field required", "value_error.missing");
  auto query = body.required_string("query", 1, max_text);
  auto response = body.required_string("response", 0, max_text);
  auto meta = body.optional_object("meta").value_or(json::object{});
  body.check();
  auto session = owned_session(deps, user, *session_id);

  auto at = now_ms();
  core::TurnRecord record;
  record.user.conversation_id = record.assistant.conversation_id = session.id;
  record.user.user_id = record.assistant.user_id = user.user_id;
  record.user.turn_id = record.assistant.turn_id = new_turn_id();
  record.user.character_id = record.assistant.character_id = session.character_id;
  record.user.role = core::ChatRole::User;
  record.user.content = query;
  record.user.created_at_ms = at;
  record.assistant.role = core::ChatRole::Assistant;
  record.assistant.content = response;
  record.assistant.created_at_ms = at + 1;
  if (auto* model = meta.if_contains("model"); model && model->is_string())
    record.assistant.model = std::string(model->as_string());
  record.assistant.metadata_json = imported_metadata(meta);
  deps.chat->turns->conversations().store().append_turn(record);
  auto turn = deps.archive->turn_by_turn_id(record.user.turn_id);
  if (!turn) throw http::HttpError(500, "The chat was not stored");
  ChatShaper shape(deps, user);
  return created(shape(*turn));
}

// The question and the reply can be corrected; the session and what the turn measured
// cannot.
http::Response update(CoachDeps& deps, http::Request& req, bool partial) {
  auto user = coach_user(deps, req);
  auto turn = owned_chat(deps, user, id_param(req));
  http::JsonBody body(req);
  core::TurnEdit edit;
  edit.question = partial ? body.optional_string("query", max_text)
                          : std::optional(body.required_string("query", 1, max_text));
  edit.reply = partial ? body.optional_string("response", max_text)
                       : std::optional(body.required_string("response", 0, max_text));
  if (edit.question && edit.question->empty())
    body.add_error("query", "This field may not be blank.", "value_error");
  if (auto session = body.optional_int("session", 1, std::numeric_limits<std::int64_t>::max());
      session && *session != turn.conversation_row_id)
    body.add_error("session", "session cannot be changed", "value_error");
  body.check();
  if (!deps.archive->edit_turn(turn.id, edit)) throw http::HttpError(404, "Not found.");
  ChatShaper shape(deps, user);
  return http::Response::json(200, shape(owned_chat(deps, user, turn.id)));
}

http::Response replace(CoachDeps& deps, http::Request& req) {
  return update(deps, req, false);
}
http::Response patch(CoachDeps& deps, http::Request& req) {
  return update(deps, req, true);
}

http::Response destroy(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  auto turn = owned_chat(deps, user, id_param(req));
  deps.archive->remove_turn(turn.id);
  return no_content();
}

}  // namespace

void register_coach_chats_routes(http::Router& router, std::shared_ptr<CoachDeps> deps) {
  const CoachResourceDocs doc{chat_schema};
  auto list_doc = doc("List the user's chats",
                      "Every stored turn of the user's coach sessions, oldest first; "
                      "?session=<id> keeps one session's. Paginated {count, next, previous, "
                      "results}; ?page=, ?page_size= (1–100).",
                      {401, 404, 422});
  list_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Get, "/api/chats/", list, list_doc);
  add_coach_route(router, deps, http::Method::Post, "/api/chats/", create,
                  doc("Import a chat",
                      "For admin and import use: stores a question and its reply in one of the "
                      "user's sessions (session, query, response; meta.model, meta.timings_ms "
                      "and meta.tools are kept). The realtime socket stores chats by itself.",
                      {401, 404, 422}, true, 201));
  add_coach_route(router, deps, http::Method::Get, "/api/chats/{id}/", retrieve,
                  doc("Get a chat", "", {401, 404}));
  add_coach_route(router, deps, http::Method::Put, "/api/chats/{id}/", replace,
                  doc("Correct a chat's query and response", "", {401, 404, 422}, true));
  add_coach_route(router, deps, http::Method::Patch, "/api/chats/{id}/", patch,
                  doc("Correct a chat's query or response", "", {401, 404, 422}, true));
  auto delete_doc = doc("Delete a chat", "", {401, 404}, false, 204);
  delete_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Delete, "/api/chats/{id}/", destroy, delete_doc);
}

}  // namespace companion::api
