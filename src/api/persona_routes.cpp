#include "api/persona_routes.hpp"

#include <boost/json.hpp>

#include "core/characters/character_service.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr const char* persona_schema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "maxLength": 100},
    "personality_traits": {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
    "speaking_style": {"type": "string", "maxLength": 100},
    "interests": {"type": "array", "items": {"type": "string"}},
    "background_story": {"type": "string", "maxLength": 5000},
    "voice_id": {"type": "string"},
    "language": {"type": "string"}
  }
})";

json::object persona_json(const core::Character& c) {
  json::object traits;
  for (const auto& [name, value] : c.traits) traits[name] = value;
  json::array interests;
  for (const auto& interest : c.interests) interests.emplace_back(interest);
  return {{"name", c.name},
          {"personality_traits", std::move(traits)},
          {"speaking_style", c.speaking_style},
          {"interests", std::move(interests)},
          {"background_story", c.background},
          {"voice_id", c.voice_id},
          {"language", c.language}};
}

core::Character persona_of(ChatDeps& deps, std::int64_t user_id) {
  auto persona = deps.characters->resolve(user_id, core::default_persona_id);
  if (!persona) throw http::HttpError(404, "Persona not found");
  return *persona;
}

// Traits must be numbers in [0, 1]; every wrong one is reported.
std::optional<std::map<std::string, double>> read_traits(http::JsonBody& body) {
  auto object = body.optional_object("personality_traits");
  if (!object) return std::nullopt;
  std::map<std::string, double> traits;
  for (const auto& [key, value] : *object) {
    if (!value.is_number() || value.to_number<double>() < 0 || value.to_number<double>() > 1) {
      body.add_error("personality_traits",
                     "trait '" + std::string(key) + "' must be a number between 0 and 1",
                     "value_error.number");
      continue;
    }
    traits[std::string(key)] = value.to_number<double>();
  }
  return traits;
}

http::Response get(ChatDeps& deps, http::Request& req) {
  auto user = chat_user(deps, req, req.query("user_id").value_or(""));
  return http::Response::json(200, persona_json(persona_of(deps, user.user_id)));
}

http::Response update(ChatDeps& deps, http::Request& req) {
  http::JsonBody body(req);
  auto name = body.optional_string("name", 100);
  auto traits = read_traits(body);
  auto style = body.optional_string("speaking_style", 100);
  auto interests = body.optional_string_list("interests", 50);
  auto background = body.optional_string("background_story", 5000);
  auto voice = body.optional_string("voice_id", 100);
  auto language = body.optional_string("language", 20);
  auto named = body.optional_string("user_id", 64).value_or("");
  body.check();
  if (name && name->empty())
    throw http::ValidationError({{{"body", "name"}, "must not be empty", "value_error"}});
  auto user = chat_user(deps, req, named);
  auto before = persona_json(persona_of(deps, user.user_id));
  auto updated = deps.characters->update_for_user(user.user_id, core::default_persona_id,
                                                  [&](core::Character& c) {
                                                    if (name) c.name = *name;
                                                    // Traits named in the update change; the others
                                                    // keep their values.
                                                    if (traits)
                                                      for (const auto& [k, v] : *traits)
                                                        c.traits[k] = v;
                                                    if (style) c.speaking_style = *style;
                                                    if (interests) c.interests = *interests;
                                                    if (background) c.background = *background;
                                                    if (voice) c.voice_id = *voice;
                                                    if (language) c.language = *language;
                                                  });
  if (!updated) throw http::HttpError(404, "Persona not found");
  auto config = persona_json(*updated);
  bool changed = config != before;
  return http::Response::json(200, json::object{{"message", "Persona updated successfully"},
                                                {"config", std::move(config)},
                                                {"changes_applied", changed},
                                                {"restart_required", false}});
}

http::Response reset(ChatDeps& deps, http::Request& req) {
  http::JsonBody body(req, true);
  auto named = body.optional_string("user_id", 64).value_or(req.query("user_id").value_or(""));
  body.check();
  auto user = chat_user(deps, req, named);
  auto persona = deps.characters->reset_for_user(user.user_id, core::default_persona_id);
  if (!persona) throw http::HttpError(404, "Persona not found");
  return http::Response::json(200, json::object{{"message", "Persona reset to default"},
                                                {"config", persona_json(*persona)}});
}

}  // namespace

void register_persona_routes(http::Router& router, std::shared_ptr<ChatDeps> deps) {
  auto add = [&](http::Method method, std::string pattern, auto handler, http::RouteDoc doc) {
    router.add(user_route(deps, method, std::move(pattern), handler, std::move(doc)));
  };
  http::RouteDoc get_doc{"The companion's persona as this user sees it", "Persona", ""};
  get_doc.response_schema = persona_schema;
  get_doc.error_statuses = {401};
  add(http::Method::Get, "/api/persona/get", get, get_doc);
  http::RouteDoc update_doc{"Customise the persona (this user's companion only)", "Persona",
                            "Fields left out keep their values; traits are merged."};
  update_doc.request_schema = persona_schema;
  update_doc.error_statuses = {401, 422};
  add(http::Method::Post, "/api/persona/update", update, update_doc);
  http::RouteDoc reset_doc{"Back to the default persona", "Persona", ""};
  reset_doc.error_statuses = {401};
  add(http::Method::Post, "/api/persona/reset", reset, reset_doc);
}

}  // namespace companion::api
