#include "api/chattr_character_routes.hpp"

#include <boost/json.hpp>

#include "core/characters/character_service.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr const char* list_schema = R"json({
  "type": "object",
  "properties": {"characters": {"type": "array", "items": {"type": "object", "properties": {
    "id": {"type": "string"},
    "name": {"type": "string"},
    "description": {"type": "string"},
    "personality": {"type": "string"},
    "avatar_url": {"type": ["string", "null"]},
    "voice_model": {"type": ["string", "null"]},
    "capabilities": {"type": "array", "items": {"type": "string", "enum": ["text", "voice", "video"]}}}}}}
})json";

constexpr const char* detail_schema = R"json({
  "type": "object",
  "properties": {
    "id": {"type": "string"},
    "name": {"type": "string"},
    "description": {"type": "string"},
    "personality": {"type": "string"},
    "avatar_url": {"type": ["string", "null"]},
    "voice_model": {"type": ["string", "null"]},
    "video_model": {"type": ["string", "null"]},
    "capabilities": {"type": "array", "items": {"type": "string", "enum": ["text", "voice", "video"]}},
    "configuration": {"type": "object", "properties": {
      "temperature": {"type": ["number", "null"], "description": "null: the model's default"},
      "max_tokens": {"type": ["integer", "null"], "description": "null: the model's default"},
      "system_prompt": {"type": "string"}}},
    "statistics": {"type": "object", "properties": {
      "total_conversations": {"type": "integer", "description": "The caller's conversations with this character, counted"},
      "average_rating": {"type": ["number", "null"], "description": "null: no ratings are kept"},
      "last_updated": {"type": "string", "format": "date-time"}}}
  }
})json";

constexpr const char* update_schema = R"json({
  "type": "object",
  "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 100},
    "description": {"type": "string", "maxLength": 1000},
    "personality": {"type": "string", "maxLength": 2000},
    "configuration": {"type": "object", "properties": {
      "temperature": {"type": "number", "minimum": 0, "maximum": 2},
      "max_tokens": {"type": "integer", "minimum": 1, "maximum": 1000000},
      "system_prompt": {"type": "string", "maxLength": 10000}}}
  }
})json";

constexpr double max_temperature = 2;
constexpr std::int64_t max_tokens_limit = 1'000'000;
constexpr std::size_t max_system_prompt = 10000;

json::value string_or_null(const std::string& text) {
  if (text.empty()) return nullptr;
  return json::string(text);
}

json::object summary_json(const core::Character& c) {
  json::array capabilities;
  for (const auto& capability : c.capabilities) capabilities.emplace_back(capability);
  return {{"id", c.id},
          {"name", c.name},
          {"description", c.description},
          {"personality", c.personality},
          {"avatar_url", string_or_null(c.avatar_url)},
          {"voice_model", string_or_null(c.voice_id)},
          {"capabilities", std::move(capabilities)}};
}

json::object configuration_json(const core::Character& c) {
  json::object out{
      {"temperature", nullptr}, {"max_tokens", nullptr}, {"system_prompt", c.system_prompt}};
  if (c.temperature) out["temperature"] = *c.temperature;
  if (c.max_tokens) out["max_tokens"] = *c.max_tokens;
  return out;
}

json::object detail_json(ChatDeps& deps, std::int64_t user_id, const core::Character& c) {
  auto& conversations = deps.turns->conversations().store();
  json::object statistics{
      {"total_conversations", conversations.count_with_character(user_id, c.id)},
      // Nothing lets a user rate a character yet, so there is no average to give.
      {"average_rating", nullptr},
      {"last_updated", http::iso8601_from_unix(c.updated_at)}};
  auto out = summary_json(c);
  out["video_model"] = string_or_null(c.video_model);
  out["configuration"] = configuration_json(c);
  out["statistics"] = std::move(statistics);
  return out;
}

// Admins and the root key act for the user named by ?user_id=; everyone else for itself.
core::Principal character_user(ChatDeps& deps, const http::Request& req) {
  return chat_user(deps, req, req.query("user_id").value_or(""));
}

core::Character visible_character(ChatDeps& deps, std::int64_t user_id, std::string_view id) {
  auto character = deps.characters->resolve(user_id, id);
  if (!character) throw http::HttpError(404, "Character not found");
  return *character;
}

// The fields an update writes; each absent one keeps its value.
struct CharacterUpdate {
  std::optional<std::string> name, description, personality, system_prompt;
  std::optional<double> temperature;
  std::optional<int> max_tokens;
};

void read_configuration(const json::object& configuration, CharacterUpdate& update,
                        std::vector<http::FieldError>& errors) {
  auto error = [&](const char* key, std::string msg, std::string type) {
    errors.push_back({{"body", "configuration", key}, std::move(msg), std::move(type)});
  };
  if (const auto* t = configuration.if_contains("temperature"); t && !t->is_null()) {
    if (!t->is_number() || t->to_number<double>() < 0 || t->to_number<double>() > max_temperature)
      error("temperature", "a number from 0 to 2 is expected", "value_error.number");
    else
      update.temperature = t->to_number<double>();
  }
  if (const auto* m = configuration.if_contains("max_tokens"); m && !m->is_null()) {
    boost::system::error_code ec;
    auto tokens = m->is_number() ? m->to_number<std::int64_t>(ec) : 0;
    if (!m->is_number() || ec || tokens < 1 || tokens > max_tokens_limit)
      error("max_tokens", "an integer from 1 to 1000000 is expected", "value_error.number");
    else
      update.max_tokens = static_cast<int>(tokens);
  }
  if (const auto* p = configuration.if_contains("system_prompt"); p && !p->is_null()) {
    if (!p->is_string() || p->as_string().size() > max_system_prompt)
      error("system_prompt", "a string of at most 10000 characters is expected", "type_error.str");
    else
      update.system_prompt = std::string(p->as_string());
  }
}

CharacterUpdate read_update(const http::Request& req) {
  http::JsonBody body(req);
  CharacterUpdate update;
  update.name = body.optional_string("name", 100);
  if (update.name && update.name->empty())
    body.add_error("name", "ensure this value has at least 1 characters", "value_error");
  update.description = body.optional_string("description", 1000);
  update.personality = body.optional_string("personality", 2000);
  auto configuration = body.optional_object("configuration");
  std::vector<http::FieldError> errors;
  try {
    body.check();
  } catch (const http::ValidationError& invalid) {
    errors = invalid.errors();
  }
  if (configuration) read_configuration(*configuration, update, errors);
  if (!errors.empty()) throw http::ValidationError(std::move(errors));
  return update;
}

void apply(const CharacterUpdate& update, core::Character& c) {
  if (update.name) c.name = *update.name;
  if (update.description) c.description = *update.description;
  if (update.personality) c.personality = *update.personality;
  if (update.system_prompt) c.system_prompt = *update.system_prompt;
  if (update.temperature) c.temperature = *update.temperature;
  if (update.max_tokens) c.max_tokens = *update.max_tokens;
}

http::Response list(ChatDeps& deps, http::Request& req) {
  auto user = character_user(deps, req);
  json::array characters;
  for (const auto& c : deps.characters->list(user.user_id)) characters.push_back(summary_json(c));
  return http::Response::json(200, json::object{{"characters", std::move(characters)}});
}

http::Response detail(ChatDeps& deps, http::Request& req) {
  auto user = character_user(deps, req);
  auto character = visible_character(deps, user.user_id, req.param("character_id"));
  return http::Response::json(200, detail_json(deps, user.user_id, character));
}

http::Response update(ChatDeps& deps, http::Request& req) {
  auto user = character_user(deps, req);
  std::string id(req.param("character_id"));
  visible_character(deps, user.user_id, id);  // 404 before the body is judged
  auto changes = read_update(req);
  auto saved = deps.characters->update_for_user(user.user_id, id,
                                                [&](core::Character& c) { apply(changes, c); });
  if (!saved) throw http::HttpError(404, "Character not found");
  return http::Response::json(200, detail_json(deps, user.user_id, *saved));
}

}  // namespace

void register_chattr_character_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  auto add = [&](http::Method method, std::string pattern, auto handler, http::RouteDoc doc) {
    router.add(user_route(deps, method, std::move(pattern), handler, std::move(doc)));
  };
  http::RouteDoc list_doc{"The characters this user can talk to", "Chattr",
                          "The shared characters (the AI Friend persona and the AI Coach agent "
                          "among them), each replaced by the user's own copy once edited, and "
                          "the user's own characters."};
  list_doc.response_schema = list_schema;
  add(http::Method::Get, "/api/v1/characters", list, list_doc);

  http::RouteDoc detail_doc{"A character with its configuration and statistics", "Chattr",
                            "statistics.total_conversations counts the caller's conversations "
                            "with the character."};
  detail_doc.response_schema = detail_schema;
  detail_doc.error_statuses = {404};
  add(http::Method::Get, "/api/v1/characters/{character_id}", detail, detail_doc);

  http::RouteDoc update_doc{"Update a character's settings and personality", "Chattr",
                            "Fields left out keep their values. The update is stored as the "
                            "caller's own copy: other users keep the original."};
  update_doc.request_schema = update_schema;
  update_doc.response_schema = detail_schema;
  update_doc.error_statuses = {404, 422};
  add(http::Method::Put, "/api/v1/characters/{character_id}", update, update_doc);
}

}  // namespace companion::api
