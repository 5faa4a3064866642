#include "api/memory_routes.hpp"

#include <chrono>
#include <cmath>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/acting_user.hpp"
#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_content = 10000;
constexpr std::size_t max_query = 2000;
constexpr std::size_t max_category = 64;
constexpr std::size_t max_tags = 50;
constexpr std::int64_t max_search_limit = 100;
constexpr std::int64_t max_fact_limit = 1000;

constexpr const char* save_schema = R"({
  "type": "object",
  "required": ["content"],
  "properties": {
    "content": {"type": "string", "minLength": 1, "maxLength": 10000},
    "category": {"type": "string", "default": "general"},
    "importance": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.5},
    "tags": {"type": "array", "items": {"type": "string"}},
    "tier": {"type": "string",
             "enum": ["session", "sub_temporary", "temporary", "permanent", "personal"],
             "description": "Assigned from importance and category when absent"},
    "session_id": {"type": "string"},
    "user_id": {"type": "string", "description": "Admins only: the user to act for"}
  }
})";

constexpr const char* saved_schema = R"({
  "type": "object",
  "properties": {
    "memory_id": {"type": "string"},
    "message": {"type": "string"},
    "tier": {"type": "string"},
    "expires_at": {"type": ["string", "null"], "format": "date-time"}
  }
})";

constexpr const char* search_schema = R"({
  "type": "object",
  "required": ["query"],
  "properties": {
    "query": {"type": "string", "minLength": 1, "maxLength": 2000},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
    "category": {"type": "string"},
    "tier": {"type": "string"},
    "user_id": {"type": "string"}
  }
})";

constexpr const char* results_schema = R"({
  "type": "object",
  "properties": {
    "memories": {"type": "array", "items": {"type": "object", "properties": {
      "id": {"type": "string"},
      "content": {"type": "string"},
      "metadata": {"type": "object", "properties": {
        "category": {"type": "string"}, "importance": {"type": "number"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "timestamp": {"type": "string", "format": "date-time"}, "tier": {"type": "string"}}},
      "distance": {"type": ["number", "null"]},
      "similarity": {"type": ["number", "null"], "minimum": 0, "maximum": 1}}}},
    "count": {"type": "integer"},
    "search_time_ms": {"type": "number"}
  }
})";

constexpr const char* deleted_schema = R"({
  "type": "object",
  "properties": {"message": {"type": "string"}, "memory_id": {"type": "string"}}
})";

constexpr const char* stats_schema = R"({
  "type": "object",
  "properties": {
    "total_memories": {"type": "integer"},
    "by_tier": {"type": "object", "additionalProperties": {"type": "integer"}},
    "by_category": {"type": "object", "additionalProperties": {"type": "integer"}},
    "total_size_mb": {"type": "number"},
    "oldest_memory": {"type": ["string", "null"], "format": "date-time"},
    "newest_memory": {"type": ["string", "null"], "format": "date-time"},
    "expired_memories": {"type": "integer"},
    "total_facts": {"type": "integer"},
    "facts_by_category": {"type": "object", "additionalProperties": {"type": "integer"}},
    "total_conversations": {"type": "integer"},
    "oldest_conversation": {"type": ["string", "null"], "format": "date-time"},
    "newest_conversation": {"type": ["string", "null"], "format": "date-time"}
  }
})";

constexpr const char* tiers_schema = R"({
  "type": "object",
  "properties": {"tiers": {"type": "array", "items": {"type": "object", "properties": {
    "name": {"type": "string"}, "retention_days": {"type": "integer"},
    "description": {"type": "string"}, "auto_cleanup": {"type": "boolean"}}}}}
})";

constexpr const char* facts_schema = R"({
  "type": "array",
  "items": {"type": "object", "properties": {
    "id": {"type": "integer"}, "content": {"type": "string"}, "category": {"type": "string"},
    "importance_score": {"type": "number"},
    "created_at": {"type": "string", "format": "date-time"}}}
})";

constexpr const char* fact_deleted_schema = R"({
  "type": "object",
  "properties": {"success": {"type": "boolean"}, "message": {"type": "string"}}
})";

struct Deps {
  std::shared_ptr<core::AccountService> accounts;
  std::shared_ptr<core::MemoryService> memory;
};

// The user a memory request acts for. The root key is no user: it must name one.
core::Principal acting_user(Deps& d, const http::Request& req, std::string_view named) {
  auto p = resolve_acting_user(*d.accounts, req, named);
  if (p.user_id == 0)
    throw http::HttpError(400, "The root key holds no memories itself: name a user_id");
  return p;
}

json::value time_or_null(const std::optional<std::int64_t>& t) {
  return t ? json::value(http::iso8601_from_unix(*t)) : json::value(nullptr);
}

json::array tags_json(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return a;
}

std::optional<core::MemoryTier> read_tier(http::JsonBody& body) {
  auto name = body.optional_string("tier", 32);
  if (!name) return std::nullopt;
  auto tier = core::parse_tier(*name);
  if (!tier)
    body.add_error("tier",
                   "value is not a valid enumeration member; permitted: 'session', "
                   "'sub_temporary', 'temporary', 'permanent', 'personal'",
                   "type_error.enum");
  return tier;
}

http::Response save(Deps& d, http::Request& req) {
  http::JsonBody body(req);
  core::NewMemory m;
  m.content = body.required_string("content", 1, max_content);
  m.category = body.optional_string("category", max_category).value_or("general");
  m.importance = body.optional_number("importance", 0.0, 1.0).value_or(0.5);
  m.tags = body.optional_string_list("tags", max_tags).value_or(std::vector<std::string>{});
  m.tier = read_tier(body);
  m.session_id = body.optional_string("session_id", 200).value_or("");
  auto named = body.optional_string("user_id", 64).value_or("");
  body.check();
  m.user_id = acting_user(d, req, named).user_id;
  auto saved = d.memory->save(m);
  return http::Response::json(200, json::object{{"memory_id", saved.id},
                                                {"message", "Memory saved"},
                                                {"tier", core::tier_name(saved.tier)},
                                                {"expires_at", time_or_null(saved.expires_at)}});
}

json::object hit_json(const core::MemoryHit& hit) {
  const auto& m = hit.memory;
  json::object metadata{{"category", m.category},
                        {"importance", m.importance},
                        {"tags", tags_json(m.tags)},
                        {"timestamp", http::iso8601_from_unix(m.created_at)},
                        {"tier", core::tier_name(m.tier)}};
  json::object out{{"id", m.id}, {"content", m.content}, {"metadata", std::move(metadata)}};
  out["distance"] = hit.similarity ? json::value(1.0 - *hit.similarity) : json::value(nullptr);
  out["similarity"] = hit.similarity ? json::value(*hit.similarity) : json::value(nullptr);
  return out;
}

http::Response search(Deps& d, http::Request& req) {
  auto started = std::chrono::steady_clock::now();
  http::JsonBody body(req);
  core::MemorySearch s;
  s.query = body.required_string("query", 1, max_query);
  s.limit = static_cast<std::size_t>(body.optional_int("limit", 1, max_search_limit).value_or(10));
  s.filter.category = body.optional_string("category", max_category);
  s.filter.tier = read_tier(body);
  auto named = body.optional_string("user_id", 64).value_or("");
  body.check();
  auto user = acting_user(d, req, named);
  auto hits = d.memory->search(user.user_id, s);
  json::array memories;
  for (const auto& hit : hits) memories.push_back(hit_json(hit));
  double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return http::Response::json(200,
                              json::object{{"memories", std::move(memories)},
                                           {"count", hits.size()},
                                           {"search_time_ms", std::round(elapsed_ms * 100) / 100}});
}

http::Response delete_memory(Deps& d, http::Request& req) {
  http::QueryParams query(req);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = acting_user(d, req, named);
  std::string id(req.param("memory_id"));
  // Another user's memory answers exactly as a missing one, so ids cannot be probed.
  if (!d.memory->remove(user.user_id, id)) throw http::HttpError(404, "Memory not found");
  return http::Response::json(200, json::object{{"message", "Memory deleted"}, {"memory_id", id}});
}

json::object counts_json(const std::map<std::string, std::int64_t>& counts) {
  json::object o;
  for (const auto& [k, v] : counts) o[k] = v;
  return o;
}

http::Response stats(Deps& d, http::Request& req) {
  http::QueryParams query(req);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = acting_user(d, req, named);
  auto s = d.memory->stats(user.user_id);
  const auto& c = s.counts;
  json::object by_tier;
  for (const auto& info : core::memory_tiers) {
    auto it = c.by_tier.find(std::string(info.name));
    by_tier[info.name] = it == c.by_tier.end() ? 0 : it->second;
  }
  double mb = static_cast<double>(c.stored_bytes) / (1024.0 * 1024.0);
  json::object out{{"total_memories", c.total},
                   {"by_tier", std::move(by_tier)},
                   {"by_category", counts_json(c.by_category)},
                   {"total_size_mb", std::round(mb * 10000) / 10000},
                   {"oldest_memory", time_or_null(c.oldest)},
                   {"newest_memory", time_or_null(c.newest)},
                   {"expired_memories", s.expired},
                   {"total_facts", c.total},
                   {"facts_by_category", counts_json(c.by_category)},
                   {"total_conversations", c.conversations},
                   {"oldest_conversation", time_or_null(c.oldest_conversation)},
                   {"newest_conversation", time_or_null(c.newest_conversation)}};
  return http::Response::json(200, out);
}

http::Response tiers(http::Request&) {
  json::array list;
  for (const auto& info : core::memory_tiers)
    list.push_back(json::object{{"name", info.name},
                                {"retention_days", info.retention_days},
                                {"description", info.description},
                                {"auto_cleanup", info.auto_cleanup}});
  return http::Response::json(200, json::object{{"tiers", std::move(list)}});
}

http::Response list_facts(Deps& d, http::Request& req) {
  http::QueryParams query(req);
  auto limit = query.integer("limit", 20, 1, max_fact_limit);
  core::MemoryFilter filter;
  filter.category = query.string("category", max_category);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = acting_user(d, req, named);
  json::array facts;
  for (const auto& m : d.memory->list(user.user_id, filter, static_cast<std::size_t>(limit)))
    facts.push_back(json::object{{"id", m.row_id},
                                 {"content", m.content},
                                 {"category", m.category},
                                 {"importance_score", m.importance},
                                 {"created_at", http::iso8601_from_unix(m.created_at)}});
  return http::Response::json(200, facts);
}

std::int64_t fact_id_param(const http::Request& req) {
  std::string text(req.param("fact_id"));
  std::int64_t id = 0;
  bool ok = !text.empty() && text.size() <= 18;
  for (char c : text) ok = ok && c >= '0' && c <= '9';
  if (ok) id = std::stoll(text);
  if (!ok || id <= 0)
    throw http::ValidationError(
        {{{"path", "fact_id"}, "value is not a valid integer", "type_error.integer"}});
  return id;
}

http::Response delete_fact(Deps& d, http::Request& req) {
  auto id = fact_id_param(req);
  http::QueryParams query(req);
  auto named = query.string("user_id", 64).value_or("");
  query.check();
  auto user = acting_user(d, req, named);
  if (!d.memory->remove_row(user.user_id, id)) throw http::HttpError(404, "Fact not found");
  return http::Response::json(
      200, json::object{{"success", true}, {"message", "Fact " + std::to_string(id) + " deleted"}});
}

http::Route memory_route(http::Method method, std::string pattern, http::Handler handler,
                         std::string summary) {
  http::Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  r.access = http::Access::User;
  r.handler = std::move(handler);
  r.doc.tag = "Memory";
  r.doc.summary = std::move(summary);
  r.doc.error_statuses = {400, 401, 403, 422, 429};
  return r;
}

}  // namespace

void register_memory_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts,
                            std::shared_ptr<core::MemoryService> memory) {
  auto d = std::make_shared<Deps>(Deps{std::move(accounts), std::move(memory)});

  auto r = memory_route(
      http::Method::Post, "/api/memory/save", [d](http::Request& req) { return save(*d, req); },
      "Save a memory (tier from importance and category unless given)");
  r.doc.request_schema = save_schema;
  r.doc.response_schema = saved_schema;
  router.add(std::move(r));

  r = memory_route(
      http::Method::Post, "/api/memory/search", [d](http::Request& req) { return search(*d, req); },
      "Hybrid search (BM25 fused with vector similarity) over the user's memories");
  r.doc.request_schema = search_schema;
  r.doc.response_schema = results_schema;
  router.add(std::move(r));

  r = memory_route(
      http::Method::Get, "/api/memory/stats", [d](http::Request& req) { return stats(*d, req); },
      "Memory and conversation statistics of the user");
  r.doc.response_schema = stats_schema;
  router.add(std::move(r));

  r = memory_route(http::Method::Get, "/api/memory/tiers", tiers,
                   "The memory tiers and their retention");
  r.access = http::Access::Public;
  r.runs_inline = true;
  r.doc.response_schema = tiers_schema;
  r.doc.error_statuses = {429};
  router.add(std::move(r));

  r = memory_route(
      http::Method::Get, "/api/memory/facts",
      [d](http::Request& req) { return list_facts(*d, req); },
      "The user's facts, newest first (Voice Assistant)");
  r.doc.response_schema = facts_schema;
  router.add(std::move(r));

  r = memory_route(
      http::Method::Delete, "/api/memory/facts/{fact_id}",
      [d](http::Request& req) { return delete_fact(*d, req); },
      "Delete one fact by its integer id (Voice Assistant)");
  r.doc.response_schema = fact_deleted_schema;
  r.doc.error_statuses = {400, 401, 403, 404, 422, 429};
  router.add(std::move(r));

  r = memory_route(
      http::Method::Delete, "/api/memory/{memory_id}",
      [d](http::Request& req) { return delete_memory(*d, req); }, "Delete one memory");
  r.doc.response_schema = deleted_schema;
  r.doc.error_statuses = {400, 401, 403, 404, 429};
  router.add(std::move(r));
}

}  // namespace companion::api
