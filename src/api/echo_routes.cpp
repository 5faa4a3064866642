#include "api/echo_routes.hpp"

#include <boost/json/object.hpp>

#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr const char* echo_request_schema = R"({"type":"object","additionalProperties":true})";

constexpr const char* echo_response_schema = R"({
  "type": "object",
  "required": ["echo", "principal", "request_id"],
  "properties": {
    "echo": {"type": "object", "description": "the request body as the server parsed it"},
    "principal": {"type": "string", "description": "the user the credential belongs to"},
    "request_id": {"type": "string"}
  }
})";

http::Response echo(http::Request& req) {
  // The auth middleware rejects anonymous callers of a User route; this check keeps the
  // endpoint honest should it ever run without that middleware.
  if (!req.principal) throw http::HttpError(401, "Not authenticated");
  http::JsonBody body(req);
  body.check();
  json::object answer;
  answer["echo"] = body.object();
  answer["principal"] = req.principal->username;
  answer["request_id"] = req.request_id;
  return http::Response::json(200, answer);
}

}  // namespace

void register_echo_routes(http::Router& router) {
  http::Route route;
  route.method = http::Method::Post;
  route.pattern = "/api/echo";
  route.access = http::Access::User;
  route.rate_group = "default";
  route.body_limit = http::limits::json_body;
  // Not inline: authenticating an API key may read the store, and parsing a 1 MiB body is
  // too slow for a network thread.
  route.runs_inline = false;
  route.handler = echo;
  route.doc.summary = "Echo a JSON body with the caller's identity";
  route.doc.tag = "System";
  route.doc.description =
      "Diagnostics for clients: answers the parsed body, the authenticated principal and "
      "the request id.";
  route.doc.request_schema = echo_request_schema;
  route.doc.response_schema = echo_response_schema;
  route.doc.error_statuses = {401, 413, 422, 429};
  router.add(std::move(route));
}

}  // namespace companion::api
