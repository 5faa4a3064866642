#include "api/coach_slides_routes.hpp"

#include <boost/json.hpp>

#include "api/coach_rest_support.hpp"
#include "core/slides/editorjs_document.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_title = 300;
constexpr std::size_t max_summary = 5000;
constexpr std::size_t max_document = 512 * 1024;

constexpr const char* slides_schema = R"({
  "type": "object",
  "properties": {
    "id": {"type": "integer", "readOnly": true},
    "session": {"type": "integer", "description": "The session's numeric id; cannot change"},
    "thread_id": {"type": "string", "readOnly": true},
    "title": {"type": "string", "maxLength": 300},
    "summary": {"type": "string", "maxLength": 5000},
    "editorjs": {"type": "object", "required": ["blocks"], "properties": {
      "time": {"type": "integer"}, "version": {"type": "string"},
      "blocks": {"type": "array", "items": {"type": "object", "required": ["type", "data"]}}}},
    "created_at": {"type": "string", "format": "date-time", "readOnly": true},
    "updated_at": {"type": "string", "format": "date-time", "readOnly": true}
  }
})";

json::object slides_json(const core::SlideDeck& d) {
  boost::system::error_code ec;
  auto document = json::parse(d.editorjs_json, ec);
  return {{"id", d.id},
          {"session", d.conversation_row_id},
          {"thread_id", d.conversation_id},
          {"title", d.title},
          {"summary", d.summary},
          {"editorjs", ec ? json::value(json::object{}) : std::move(document)},
          {"created_at", coach_time(d.created_at)},
          {"updated_at", coach_time(d.updated_at)}};
}

core::SlideDeck owned_deck(CoachDeps& deps, const core::Principal& user, std::int64_t id) {
  auto deck = deps.slides->find(id);
  if (!deck || deck->user_id != user.user_id) throw http::HttpError(404, "Not found.");
  owned_session(deps, user, deck->conversation_row_id);
  return *deck;
}

// The Editor.js document of a body, as text; a validation error when it is not one.
std::optional<std::string> read_document(http::JsonBody& body, bool required) {
  const auto* value = body.raw("editorjs");
  if (!value) {
    if (required) body.add_error("editorjs", "field required", "value_error.missing");
    return std::nullopt;
  }
  auto text = json::serialize(*value);
  if (!value->is_object() || !core::is_editorjs_document(text)) {
    body.add_error("editorjs", "an Editor.js document: an object whose blocks each have a type",
                   "value_error");
    return std::nullopt;
  }
  if (text.size() > max_document) {
    body.add_error("editorjs", "the document is too large", "value_error");
    return std::nullopt;
  }
  return text;
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
  core::SlideDeckQuery query{user.user_id, session_filter(req), page.limit(), page.offset()};
  json::array results;
  for (const auto& deck : deps.slides->list(query)) results.push_back(slides_json(deck));
  return page_response(req, page, deps.slides->count(query), std::move(results));
}

http::Response retrieve(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  return http::Response::json(200, slides_json(owned_deck(deps, user, id_param(req))));
}

http::Response create(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  http::JsonBody body(req);
  auto session_id = body.optional_int("session", 1, std::numeric_limits<std::int64_t>::max());
  if (!body.has("session")) body.add_error("session", "field required", "value_error.missing");
  core::SlideDeck deck;
  deck.title = body.optional_string("title", max_title).value_or("");
  deck.summary = body.optional_string("summary", max_summary).value_or("");
  auto document = read_document(body, true);
  body.check();
  deck.conversation_id = owned_session(deps, user, *session_id).id;
  deck.editorjs_json = *document;
  auto saved = deps.slides->save(deck);
  if (!saved) throw http::HttpError(404, "Not found.");
  return created(slides_json(*saved));
}

http::Response update(CoachDeps& deps, http::Request& req, bool partial) {
  auto user = coach_user(deps, req);
  auto deck = owned_deck(deps, user, id_param(req));
  http::JsonBody body(req);
  if (auto title = body.optional_string("title", max_title)) deck.title = *title;
  if (auto summary = body.optional_string("summary", max_summary)) deck.summary = *summary;
  if (auto document = read_document(body, !partial)) deck.editorjs_json = *document;
  if (auto session = body.optional_int("session", 1, std::numeric_limits<std::int64_t>::max());
      session && *session != deck.conversation_row_id)
    body.add_error("session", "session cannot be changed", "value_error");
  body.check();
  auto saved = deps.slides->save(deck);
  if (!saved) throw http::HttpError(404, "Not found.");
  return http::Response::json(200, slides_json(*saved));
}

http::Response replace(CoachDeps& deps, http::Request& req) {
  return update(deps, req, false);
}
http::Response patch(CoachDeps& deps, http::Request& req) {
  return update(deps, req, true);
}

http::Response destroy(CoachDeps& deps, http::Request& req) {
  auto user = coach_user(deps, req);
  deps.slides->remove(owned_deck(deps, user, id_param(req)).id);
  return no_content();
}

}  // namespace

void register_coach_slides_routes(http::Router& router, std::shared_ptr<CoachDeps> deps) {
  const CoachResourceDocs doc{slides_schema};
  auto list_doc = doc("List the user's slide decks",
                      "?session=<id> keeps one session's. Paginated {count, next, previous, "
                      "results}; ?page=, ?page_size= (1–100).",
                      {401, 404, 422});
  list_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Get, "/api/slides/", list, list_doc);
  add_coach_route(router, deps, http::Method::Post, "/api/slides/", create,
                  doc("Create a slide deck on a session", "session and editorjs are required.",
                      {401, 404, 422}, true, 201));
  add_coach_route(router, deps, http::Method::Get, "/api/slides/{id}/", retrieve,
                  doc("Get a slide deck", "", {401, 404}));
  add_coach_route(router, deps, http::Method::Put, "/api/slides/{id}/", replace,
                  doc("Replace a deck's title, summary and document", "editorjs is required.",
                      {401, 404, 422}, true));
  add_coach_route(router, deps, http::Method::Patch, "/api/slides/{id}/", patch,
                  doc("Change some of a deck's fields", "", {401, 404, 422}, true));
  auto delete_doc = doc("Delete a slide deck", "", {401, 404}, false, 204);
  delete_doc.response_schema.clear();
  add_coach_route(router, deps, http::Method::Delete, "/api/slides/{id}/", destroy, delete_doc);
}

}  // namespace companion::api
