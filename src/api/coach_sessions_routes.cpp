#include "api/coach_sessions_routes.hpp"

#include <boost/json.hpp>
#include <regex>

#include "api/coach_rest_support.hpp"
#include "core/characters/character_service.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr const char* session_schema = R"({
  "type": "object",
  "required": ["thread_id", "agent"],
  "properties": {
    "id": {"type": "integer", "readOnly": true},
    "thread_id": {"type": "string", "pattern": "^user_[0-9a-f]{16}$", "description": "Cannot be changed once created"},
    "agent": {"type": ["integer", "null"], "description": "The agent's numeric id"},
    "bot_id": {"type": ["string", "null"], "readOnly": true},
    "title": {"type": "string", "readOnly": true, "description": "The first message, shortened"},
    "message_count": {"type": "integer", "readOnly": true},
    "created_at": {"type": "string", "format": "date-time", "readOnly": true},
    "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
  }
})";

bool is_thread_id(const std::string& id) {
  static const std::regex pattern("^user_[0-9a-f]{16}$");
  return std::regex_match(id, pattern);
}

json::object session_json(CoachDeps& deps, const core::Principal& user,
                          const core::Conversation& c) {
  json::value agent = nullptr, bot_id = nullptr;
  std::string character_id =
      c.character_id.empty() ? std::string(core::default_coach_agent_id) : c.character_id;
  if (auto character = deps.chat->characters->resolve(user.user_id, character_id)) {
    agent = character->row_id;
    bot_id = character->bot_id;
  }
  return {{"id", c.row_id},
          {"thread_id", c.id},
          {"agent", std::move(agent)},
          {"bot_id", std::move(bot_id)},
          {"title", c.title},
          {"message_count", c.message_count},
          {"created_at", coach_time(c.created_at)},
          {"updated_at", coach_time(c.last_activity)}};
}

// The agent a body names, if it is one the user may talk to; a validation error otherwise.
std::optional<core::Character> read_agent(CoachDeps& deps, const core::Principal& user,
                                          http::JsonBody& body, bool required) {
  if (required && !body.has("agent")) {
    body.add_error("agent", "field required", "value_error.missing");
    return std::nullopt;
  }
  auto id = body.optional_int("agent", 1, std::numeric_limits<std::int64_t>::max());
  if (!id) return std::nullopt;
  auto agent = deps.chat->characters->resolve_row(*id);
  if (!agent || !agent->active ||
      (agent->owner_user_id != 0 && agent->owner_user_id != user.user_id)) {
    body.add_error("agent", "Invalid pk \"" + std::to_string(*id) + "\" - object does not exist.",
                   "value_error");
    return std::nullopt;
  }
  return agent;
}

http::Response list(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  auto page = page_request(req);
  core::ConversationQuery query{user.user_id, std::string(coach_client_type), page.limit(),
                                page.offset()};
  json::array results;
  for (const auto& session : deps.archive->conversations(query))
    results.push_back(session_json(deps, user, session));
  return page_response(req, page, deps.archive->count_conversations(query), std::move(results));
}

http::Response retrieve(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  return http::Response::json(200,
                              session_json(deps, user, owned_session(deps, user, id_param(req))));
}

http::Response create(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  http::JsonBody body(req);
  auto thread_id = body.required_string("thread_id", 1, 64);
  if (!thread_id.empty() && !is_thread_id(thread_id))
    body.add_error("thread_id", "thread_id must match ^user_[0-9a-f]{16}$",
                   "value_error.str.regex");
  auto agent = read_agent(deps, user, body, true);
  if (is_thread_id(thread_id) && deps.archive->conversation(thread_id))
    body.add_error("thread_id", "session with this thread_id already exists.",
                   "value_error.unique");
  body.check();
  try {
    deps.chat->turns->conversations().open(user.user_id, thread_id, std::string(coach_client_type),
                                           agent->id);
  } catch (const core::TurnRefused&) {
    // Someone opened the same thread at the same moment.
    throw http::ValidationError({{{"body", "thread_id"},
                                  "session with this thread_id already exists.",
                                  "value_error.unique"}});
  }
  auto session = deps.archive->conversation(thread_id);
  if (!session) throw http::HttpError(500, "The session was not stored");
  return created(session_json(deps, user, *session));
}

// The thread id is the session's identity (the socket and the stored turns name it), so
// it cannot change; the agent can.
http::Response update(CoachDeps& deps, http::Request& req, bool partial) {
  auto user = coach_user(deps, req);
  auto session = owned_session(deps, user, id_param(req));
  http::JsonBody body(req);
  auto thread_id = partial ? body.optional_string("thread_id", 64)
                           : std::optional(body.required_string("thread_id", 1, 64));
  if (thread_id && *thread_id != session.id)
    body.add_error("thread_id", "thread_id cannot be changed", "value_error");
  auto agent = read_agent(deps, user, body, !partial);
  body.check();
  if (agent) deps.chat->turns->conversations().store().set_character(session.id, agent->id);
  auto fresh = deps.archive->conversation(session.row_id);
  if (!fresh) throw http::HttpError(404, "Not found.");
  return http::Response::json(200, session_json(deps, user, *fresh));
}

http::Response replace(CoachDeps& deps, http::Request& req) {
  return update(deps, req, false);
}
http::Response patch(CoachDeps& deps, http::Request& req) {
  return update(deps, req, true);
}

http::Response destroy(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  auto session = owned_session(deps, user, id_param(req));
  // Its turns and slides go with it.
  deps.chat->turns->conversations().store().remove(session.id);
  return no_content();
}

}  // namespace

void register_coach_sessions_routes(http::Router& router, std::shared_ptr<CoachDeps> deps) {
  const CoachResourceDocs doc{session_schema};
  auto list_doc = doc("List the user's coach sessions",
                      "Paginated {count, next, previous, results}; ?page=, ?page_size= (1–100).",
                      {401, 404, 422});
  list_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Get, "/api/sessions/", list, list_doc);
  add_coach_route(router, deps, http::Method::Post, "/api/sessions/", create,
                  doc("Create a session",
                      "Links a thread_id (^user_[0-9a-f]{16}$) to an agent (numeric id). The "
                      "WebSocket also opens a session on first use of a thread_id.",
                      {401, 422}, true, 201));
  add_coach_route(router, deps, http::Method::Get, "/api/sessions/{id}/", retrieve,
                  doc("Get a session", "", {401, 404}));
  add_coach_route(router, deps, http::Method::Put, "/api/sessions/{id}/", replace,
                  doc("Replace a session's fields", "thread_id cannot change; agent can.",
                      {401, 404, 422}, true));
  add_coach_route(router, deps, http::Method::Patch, "/api/sessions/{id}/", patch,
                  doc("Change a session's agent", "", {401, 404, 422}, true));
  auto delete_doc = doc("Delete a session with its chats and slides", "", {401, 404}, false, 204);
  delete_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Delete, "/api/sessions/{id}/", destroy, delete_doc);
}

}  // namespace companion::api
