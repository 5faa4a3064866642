#include "api/key_routes.hpp"

#include <charconv>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr const char* key_properties = R"(
    "id": {"type": "integer"},
    "user_id": {"type": "string", "description": "owner's username"},
    "name": {"type": "string"},
    "prefix": {"type": "string", "description": "first characters of the key"},
    "allowed_origins": {"type": "array", "items": {"type": "string"}},
    "allowed_hosts": {"type": "array", "items": {"type": "string"}},
    "allowed_cidrs": {"type": "array", "items": {"type": "string"}},
    "created_at": {"type": "string", "format": "date-time"},
    "last_used_at": {"type": ["string", "null"], "format": "date-time"},
    "revoked_at": {"type": ["string", "null"], "format": "date-time"},
    "revoked": {"type": "boolean"})";

const std::string create_schema = R"({
  "type": "object",
  "required": ["user_id"],
  "properties": {
    "user_id": {"type": "string", "description": "username of the owner"},
    "name": {"type": "string"},
    "allowed_origins": {"type": "array", "items": {"type": "string"}},
    "allowed_hosts": {"type": "array", "items": {"type": "string"}},
    "allowed_cidrs": {"type": "array", "items": {"type": "string"}, "description": "IPv4/IPv6 CIDRs"}
  }
})";

const std::string created_schema = std::string(R"({"type": "object", "properties": {
    "key": {"type": "string", "description": "the secret; shown only in this answer"},)") +
                                   key_properties + "}}";

const std::string key_schema =
    std::string(R"({"type": "object", "properties": {"message": {"type": "string"},)") +
    key_properties + "}}";

const std::string list_schema =
    std::string(R"({"type": "object", "properties": {"total": {"type": "integer"},
    "keys": {"type": "array", "items": {"type": "object", "properties": {)") +
    key_properties + "}}}}}";

json::array to_array(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

json::value optional_time(const std::optional<std::int64_t>& t) {
  if (!t) return nullptr;
  return json::value(http::iso8601_from_unix(*t));
}

json::object describe(const core::ApiKeyRecord& k) {
  return json::object{{"id", k.id},
                      {"user_id", k.username},
                      {"name", k.name},
                      {"prefix", k.prefix},
                      {"allowed_origins", to_array(k.allow_list.origins)},
                      {"allowed_hosts", to_array(k.allow_list.hosts)},
                      {"allowed_cidrs", to_array(k.allow_list.cidrs)},
                      {"created_at", http::iso8601_from_unix(k.created_at)},
                      {"last_used_at", optional_time(k.last_used_at)},
                      {"revoked_at", optional_time(k.revoked_at)},
                      {"revoked", k.revoked_at.has_value()}};
}

http::Response create_key(core::AccountService& accounts, http::Request& req) {
  http::JsonBody body(req);
  auto owner = body.required_string("user_id", 1, 64);
  auto name = body.optional_string("name", 200);
  core::AllowList allow;
  allow.origins = body.optional_string_list("allowed_origins", 100).value_or(allow.origins);
  allow.hosts = body.optional_string_list("allowed_hosts", 100).value_or(allow.hosts);
  allow.cidrs = body.optional_string_list("allowed_cidrs", 100).value_or(allow.cidrs);
  body.check();
  auto created = accounts.create_api_key(owner, name.value_or("api key"), allow);
  if (!created.ok()) {
    if (created.error() == core::AccountError::UnknownUser)
      throw http::HttpError(404, "User not found");
    // Name the list the bad entry came from, so a client can point at its field.
    std::string field = created.detail.find("CIDR") != std::string::npos     ? "allowed_cidrs"
                        : created.detail.find("origin") != std::string::npos ? "allowed_origins"
                                                                             : "allowed_hosts";
    throw http::ValidationError({{{"body", field}, created.detail, "value_error"}});
  }
  json::object answer = describe(created->record);
  answer["key"] = created->secret;
  answer["message"] = "Store this key now; it will not be shown again";
  return http::Response::json(201, answer);
}

http::Response list_keys(core::AccountService& accounts, http::Request&) {
  json::array keys;
  for (const auto& k : accounts.list_api_keys()) keys.push_back(describe(k));
  json::object answer;
  answer["total"] = keys.size();
  answer["keys"] = std::move(keys);
  return http::Response::json(200, answer);
}

http::Response revoke_key(core::AccountService& accounts, http::Request& req) {
  auto text = req.param("id");
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size())
    throw http::ValidationError(
        {{{"path", "id"}, "value is not a valid integer", "type_error.integer"}});
  auto revoked = accounts.revoke_api_key(id);
  if (!revoked) throw http::HttpError(404, "API key not found");
  json::object answer = describe(*revoked);
  answer["message"] = "API key revoked";
  return http::Response::json(200, answer);
}

http::Route key_route(http::Method method, std::string pattern, http::Handler handler) {
  http::Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  r.access = http::Access::Admin;
  r.rate_group = "default";
  r.handler = std::move(handler);
  r.doc.tag = "API Keys";
  return r;
}

}  // namespace

void register_key_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts) {
  auto create = key_route(http::Method::Post, "/api/keys",
                          [accounts](http::Request& req) { return create_key(*accounts, req); });
  create.doc.summary = "Create an API key for a user (admin); the key is shown once";
  create.doc.request_schema = create_schema;
  create.doc.response_schema = created_schema;
  create.doc.success_status = 201;
  create.doc.error_statuses = {401, 403, 404, 422, 429};
  router.add(std::move(create));

  auto list = key_route(http::Method::Get, "/api/keys",
                        [accounts](http::Request& req) { return list_keys(*accounts, req); });
  list.doc.summary = "List API keys without their secrets (admin)";
  list.doc.response_schema = list_schema;
  list.doc.error_statuses = {401, 403, 429};
  router.add(std::move(list));

  auto revoke = key_route(http::Method::Delete, "/api/keys/{id}",
                          [accounts](http::Request& req) { return revoke_key(*accounts, req); });
  revoke.doc.summary = "Revoke an API key (admin); it stops working at once";
  revoke.doc.response_schema = key_schema;
  revoke.doc.error_statuses = {401, 403, 404, 422, 429};
  router.add(std::move(revoke));
}

}  // namespace companion::api
