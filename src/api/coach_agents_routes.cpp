#include "api/coach_agents_routes.hpp"

#include <array>
#include <boost/json.hpp>
#include <random>

#include "api/coach_rest_support.hpp"
#include "core/characters/character_service.hpp"
#include "core/llm/model_router.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr const char* agent_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "integer", "readOnly": true},
    "bot_id": {"type": "string", "format": "uuid", "readOnly": true, "description": "What /ws/chat/ names"},
    "name": {"type": "string", "maxLength": 100},
    "description": {"type": "string", "maxLength": 1000},
    "personality": {"type": "string", "maxLength": 2000},
    "system_prompt": {"type": "string", "maxLength": 10000},
    "thumbnail": {"type": ["string", "null"], "maxLength": 2048, "description": "Absolute URL when the server holds the file"},
    "voice": {"type": "object", "properties": {"service": {"type": "string"}, "voice_id": {"type": "string"}}},
    "model": {"type": "string", "description": "provider/model; empty: the server's default"},
    "language": {"type": "string"},
    "active": {"type": "boolean"},
    "shared": {"type": "boolean", "readOnly": true, "description": "A built-in agent every user sees"},
    "created_at": {"type": "string", "format": "date-time", "readOnly": true},
    "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
  }
})";

// Speech services a voice may name; the service is kept with the voice id as
// "service:voice_id" (a voice without one uses the server's own speech engine).
constexpr std::array<std::string_view, 4> voice_services = {"elevenlabs", "openai", "espeak-ng",
                                                            "espeak"};
constexpr std::string_view default_voice_service = "default";

json::object voice_json(const std::string& stored) {
  auto colon = stored.find(':');
  if (colon != std::string::npos) {
    std::string_view service(stored.data(), colon);
    for (auto known : voice_services)
      if (service == known) return {{"service", service}, {"voice_id", stored.substr(colon + 1)}};
  }
  return {{"service", default_voice_service}, {"voice_id", stored}};
}

json::object agent_json(const http::Request& req, const core::Character& c) {
  return {{"id", c.row_id},
          {"bot_id", c.bot_id},
          {"name", c.name},
          {"description", c.description},
          {"personality", c.personality},
          {"system_prompt", c.system_prompt},
          {"thumbnail", media_url(req, c.avatar_url)},
          {"voice", voice_json(c.voice_id)},
          {"model", c.model},
          {"language", c.language},
          {"active", c.active},
          {"shared", c.owner_user_id == 0},
          {"created_at", coach_time(c.created_at)},
          {"updated_at", coach_time(c.updated_at)}};
}

std::string new_agent_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = "agent_";
  std::uint64_t bits = rng();
  for (int i = 0; i < 12; ++i, bits >>= 4) id += hex[bits & 0xf];
  return id;
}

// The agent the user sees under that id (a shared one or the user's own); 404 otherwise.
core::Character visible_agent(CoachDeps& deps, const core::Principal& user, std::int64_t id) {
  auto agent = deps.chat->characters->resolve_row(id);
  if (!agent || (agent->owner_user_id != 0 && agent->owner_user_id != user.user_id))
    throw http::HttpError(404, "Not found.");
  return *agent;
}

// The fields a request may write, as read from its body (each absent one: unchanged).
struct AgentFields {
  std::optional<std::string> name, description, personality, system_prompt, thumbnail, model,
      language, voice;
  std::optional<bool> active;
};

std::optional<std::string> read_voice(http::JsonBody& body) {
  auto voice = body.optional_object("voice");
  if (!voice) return std::nullopt;
  auto text = [&](std::string_view key) -> std::string {
    const auto* v = voice->if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  std::string service = text("service"), voice_id = text("voice_id");
  if (service.empty() || service == default_voice_service) return voice_id;
  for (auto known : voice_services)
    if (service == known) return service + ":" + voice_id;
  body.add_error("voice", "unknown voice service '" + service + "'", "value_error");
  return std::nullopt;
}

AgentFields read_fields(CoachDeps& deps, http::Request& req, bool name_required) {
  http::JsonBody body(req);
  AgentFields f;
  f.name = name_required ? std::optional(body.required_string("name", 1, 100))
                         : body.optional_string("name", 100);
  if (f.name && f.name->empty())
    body.add_error("name", "This field may not be blank.", "value_error");
  f.description = body.optional_string("description", 1000);
  f.personality = body.optional_string("personality", 2000);
  f.system_prompt = body.optional_string("system_prompt", 10000);
  if (const auto* thumbnail = body.raw("thumbnail"); thumbnail && thumbnail->is_null())
    f.thumbnail = "";
  else
    f.thumbnail = body.optional_string("thumbnail", 2048);
  f.model = body.optional_string("model", 200);
  f.language = body.optional_string("language", 16);
  f.voice = read_voice(body);
  f.active = body.optional_bool("active");
  if (f.model && !f.model->empty()) {
    try {
      deps.chat->models->resolve(*f.model);
    } catch (const core::LlmError& error) {
      body.add_error("model", error.what(), "value_error");
    }
  }
  body.check();
  return f;
}

void apply(const AgentFields& f, core::Character& c) {
  if (f.name) c.name = *f.name;
  if (f.description) c.description = *f.description;
  if (f.personality) c.personality = *f.personality;
  if (f.system_prompt) c.system_prompt = *f.system_prompt;
  if (f.thumbnail) c.avatar_url = *f.thumbnail;
  if (f.model) c.model = *f.model;
  if (f.language) c.language = *f.language;
  if (f.voice) c.voice_id = *f.voice;
  if (f.active) c.active = *f.active;
}

http::Response list(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  auto page = page_request(req);
  auto agents = deps.chat->characters->list(user.user_id);
  json::array results;
  for (std::size_t i = page.offset(); i < agents.size() && results.size() < page.limit(); ++i)
    results.push_back(agent_json(req, agents[i]));
  return page_response(req, page, static_cast<std::int64_t>(agents.size()), std::move(results));
}

http::Response retrieve(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  return http::Response::json(200, agent_json(req, visible_agent(deps, user, id_param(req))));
}

http::Response create(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  auto fields = read_fields(deps, req, true);
  core::Character agent;
  agent.id = new_agent_id();
  agent.owner_user_id = user.user_id;
  agent.capabilities = {"text"};
  apply(fields, agent);
  return created(agent_json(req, deps.chat->characters->create(std::move(agent))));
}

// An edit of a shared agent is stored as the user's own copy (with its own id and
// bot_id): one user's edit never changes another user's agent.
http::Response update(CoachDeps& deps, http::Request& req, bool partial) {
  auto user = coach_user(deps, req);
  auto agent = visible_agent(deps, user, id_param(req));
  auto fields = read_fields(deps, req, !partial);
  auto saved = deps.chat->characters->update_for_user(
      user.user_id, agent.id, [&](core::Character& c) { apply(fields, c); });
  if (!saved) throw http::HttpError(404, "Not found.");
  return http::Response::json(200, agent_json(req, *saved));
}

http::Response replace(CoachDeps& deps, http::Request& req) {
  return update(deps, req, false);
}
http::Response patch(CoachDeps& deps, http::Request& req) {
  return update(deps, req, true);
}

http::Response destroy(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  auto agent = visible_agent(deps, user, id_param(req));
  if (agent.owner_user_id == 0)
    throw http::HttpError(403, "Shared agents cannot be deleted; edit them to get your own copy");
  deps.chat->characters->remove(user.user_id, agent.id);
  return no_content();
}

}  // namespace

void register_coach_agents_routes(http::Router& router, std::shared_ptr<CoachDeps> deps) {
  const CoachResourceDocs doc{agent_schema};
  auto list_doc = doc("List agents",
                      "The shared agents (the built-in coach among them) and the user's own, "
                      "paginated: {count, next, previous, results}; ?page=, ?page_size= (1–100).",
                      {401, 404, 422});
  list_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Get, "/api/agents/", list, list_doc);
  add_coach_route(router, deps, http::Method::Post, "/api/agents/", create,
                  doc("Create an agent", "An agent of the user's own; bot_id is generated.",
                      {401, 422}, true, 201));
  add_coach_route(router, deps, http::Method::Get, "/api/agents/{id}/", retrieve,
                  doc("Get an agent by its numeric id", "", {401, 404}));
  std::string edit_note =
      "Editing a shared agent stores the user's own copy (a new id and bot_id); other users "
      "keep the original.";
  add_coach_route(
      router, deps, http::Method::Put, "/api/agents/{id}/", replace,
      doc("Replace an agent's fields (name required)", edit_note, {401, 404, 422}, true));
  add_coach_route(router, deps, http::Method::Patch, "/api/agents/{id}/", patch,
                  doc("Change some of an agent's fields", edit_note, {401, 404, 422}, true));
  auto delete_doc = doc("Delete the user's own agent",
                        "Deleting the user's copy of a shared agent brings back the shared one. "
                        "Shared agents cannot be deleted (403).",
                        {401, 403, 404}, false, 204);
  delete_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Delete, "/api/agents/{id}/", destroy, delete_doc);
}

}  // namespace companion::api
