#include "http/openapi.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "http/error.hpp"

namespace companion::http {

namespace json = boost::json;

namespace {

// Every credential the auth middleware accepts, as OpenAPI security schemes.
json::object security_schemes() {
  return {
      {"bearerAuth",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"bearerFormat", "JWT or API key"},
        {"description", "Authorization: Bearer <JWT from login, or an API key>"}}},
      {"apiKeyAuthorization",
       {{"type", "apiKey"},
        {"in", "header"},
        {"name", "Authorization"},
        {"description", "Authorization: Api-Key <key>"}}},
      {"apiKeyHeader", {{"type", "apiKey"}, {"in", "header"}, {"name", "X-API-Key"}}},
      {"apiKeyQuery", {{"type", "apiKey"}, {"in", "query"}, {"name", "api_key"}}},
      {"tokenQuery",
       {{"type", "apiKey"},
        {"in", "query"},
        {"name", "token"},
        {"description", "A JWT or API key, for clients that cannot set headers (WebSocket)"}}},
      {"apiKeyCookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "api_key"}}},
  };
}

// Any one of the schemes is enough: each is its own requirement object.
json::array security_requirement() {
  json::array any;
  for (const auto& scheme : security_schemes())
    any.push_back(json::object{{scheme.key(), json::array{}}});
  return any;
}

json::object error_body_schema() {
  return {
      {"type", "object"},
      {"description", "The error body of every endpoint"},
      {"required", json::array{"detail", "code", "status_code", "timestamp"}},
      {"properties",
       {{"detail", {{"type", "string"}}},
        {"code", {{"type", "string"}, {"examples", json::array{"NOT_FOUND"}}}},
        {"status_code", {{"type", "integer"}}},
        {"timestamp", {{"type", "string"}, {"format", "date-time"}}}}},
  };
}

json::object validation_error_schema() {
  json::object item{
      {"type", "object"},
      {"required", json::array{"loc", "msg", "type"}},
      {"properties",
       {{"loc",
         {{"type", "array"},
          {"items",
           {{"anyOf",
             json::array{json::object{{"type", "string"}}, json::object{{"type", "integer"}}}}}}}},
        {"msg", {{"type", "string"}}},
        {"type", {{"type", "string"}}}}},
  };
  return {
      {"type", "object"},
      {"description", "422: every invalid field, each with its location"},
      {"required", json::array{"detail", "code", "status_code", "timestamp"}},
      {"properties",
       {{"detail", {{"type", "array"}, {"items", std::move(item)}}},
        {"code", {{"type", "string"}, {"const", "VALIDATION_ERROR"}}},
        {"status_code", {{"type", "integer"}, {"const", 422}}},
        {"timestamp", {{"type", "string"}, {"format", "date-time"}}}}},
  };
}

json::value parse_schema(const std::string& text, const Route& route, const char* what) {
  std::error_code ec;
  json::value schema = json::parse(text, ec);
  if (ec || !schema.is_object())
    throw std::invalid_argument(std::string(what) + " of " + std::string(to_string(route.method)) +
                                " " + route.pattern + " is not a JSON Schema object");
  return schema;
}

std::vector<std::string> path_parameters(const std::string& pattern) {
  std::vector<std::string> names;
  std::size_t open = pattern.find('{');
  while (open != std::string::npos) {
    auto close = pattern.find('}', open);
    if (close == std::string::npos) break;
    names.push_back(pattern.substr(open + 1, close - open - 1));
    open = pattern.find('{', close);
  }
  return names;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "get /api/profile/{user_id}" → "get_api_profile_user_id": unique per route.
std::string operation_id(const Route& route) {
  std::string id = lower(to_string(route.method));
  bool pending_separator = true;
  for (char c : route.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (pending_separator) id += '_';
      id += c;
      pending_separator = false;
    } else {
      pending_separator = true;
    }
  }
  if (!route.pattern.empty() && route.pattern.back() == '/') id += "_";  // "/x" vs "/x/"
  return id;
}

json::object error_response_entry(int status) {
  std::string ref =
      status == 422 ? "#/components/schemas/ValidationError" : "#/components/schemas/ErrorBody";
  return {{"description", reason_phrase(status)},
          {"content", {{"application/json", {{"schema", {{"$ref", ref}}}}}}}};
}

// The statuses a route can answer besides its own: those its RouteDoc lists and those the
// middleware answers for it (credentials, rate limit, validation of a JSON body).
std::set<int> error_statuses(const Route& route) {
  std::set<int> statuses(route.doc.error_statuses.begin(), route.doc.error_statuses.end());
  if (route.access != Access::Public) statuses.insert(401);
  if (route.access == Access::Admin) statuses.insert(403);
  if (!route.rate_group.empty()) statuses.insert(429);
  if (!route.doc.request_schema.empty()) {
    statuses.insert(413);
    if (route.doc.request_content_type == "application/json") statuses.insert(422);
  }
  return statuses;
}

json::object responses(const Route& route) {
  json::object out;
  if (route.websocket) {
    out["101"] = json::object{{"description",
                               "Switching Protocols: the connection is now a "
                               "WebSocket"}};
  } else {
    json::object success{{"description", reason_phrase(route.doc.success_status)}};
    if (route.doc.success_status != 204 && !route.doc.response_content_type.empty()) {
      json::value schema = route.doc.response_schema.empty()
                               ? json::value(json::object{{"type", "object"}})
                               : parse_schema(route.doc.response_schema, route, "response schema");
      success["content"] = json::object{{route.doc.response_content_type, {{"schema", schema}}}};
    }
    out[std::to_string(route.doc.success_status)] = std::move(success);
  }
  for (int status : error_statuses(route))
    out[std::to_string(status)] = error_response_entry(status);
  return out;
}

json::object operation(const Route& route) {
  json::object op;
  if (!route.doc.summary.empty()) op["summary"] = route.doc.summary;
  std::string description = route.doc.description;
  if (route.websocket) {
    if (!description.empty()) description += "\n\n";
    description +=
        "WebSocket: send GET with `Upgrade: websocket`; the server answers 101 and "
        "the exchange continues as WebSocket messages.";
  }
  if (!description.empty()) op["description"] = description;
  op["operationId"] = operation_id(route);
  op["tags"] = json::array{route.doc.tag.empty() ? "default" : route.doc.tag};

  json::array parameters;
  for (const auto& name : path_parameters(route.pattern))
    parameters.push_back(json::object{
        {"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  if (!parameters.empty()) op["parameters"] = std::move(parameters);

  if (!route.doc.request_schema.empty()) {
    op["requestBody"] = json::object{
        {"required", true},
        {"content",
         {{route.doc.request_content_type,
           {{"schema", parse_schema(route.doc.request_schema, route, "request schema")}}}}}};
  }
  op["responses"] = responses(route);
  if (route.access != Access::Public) op["security"] = security_requirement();
  if (route.access == Access::Admin)
    op["x-access"] = "admin";  // which principals pass, beyond "any credential"
  return op;
}

}  // namespace

json::object build_openapi(const Router& router, const OpenApiInfo& info) {
  std::vector<const Route*> routes;
  for (const auto& r : router.routes()) routes.push_back(r.get());
  std::stable_sort(routes.begin(), routes.end(),
                   [](const Route* a, const Route* b) { return a->pattern < b->pattern; });

  json::object paths;
  std::set<std::string> tags;
  for (const Route* route : routes) {
    auto& item = paths[route->pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[lower(to_string(route->method))] = operation(*route);
    tags.insert(route->doc.tag.empty() ? "default" : route->doc.tag);
  }

  json::array tag_list;
  for (const auto& t : tags) tag_list.push_back(json::object{{"name", t}});

  json::object doc_info{{"title", info.title}, {"version", info.version}};
  if (!info.description.empty()) doc_info["description"] = info.description;

  return {
      {"openapi", "3.1.0"},
      {"info", std::move(doc_info)},
      {"tags", std::move(tag_list)},
      {"paths", std::move(paths)},
      {"components",
       {{"schemas",
         {{"ErrorBody", error_body_schema()}, {"ValidationError", validation_error_schema()}}},
        {"securitySchemes", security_schemes()}}},
  };
}

}  // namespace companion::http
