#include "api/auth_routes.hpp"

#include <boost/json/object.hpp>

#include "http/error.hpp"
#include "http/json_body.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t min_password_length = 8;
constexpr std::size_t max_password_length = 1024;

constexpr const char* register_schema = R"({
  "type": "object",
  "required": ["username", "password"],
  "properties": {
    "username": {"type": "string", "pattern": "^[A-Za-z0-9_.@-]{1,64}$"},
    "password": {"type": "string", "minLength": 8},
    "email": {"type": "string"},
    "name": {"type": "string"}
  }
})";

constexpr const char* login_schema = R"({
  "type": "object",
  "required": ["username", "password"],
  "properties": {"username": {"type": "string"}, "password": {"type": "string"}}
})";

constexpr const char* token_schema = R"({
  "type": "object",
  "required": ["access_token", "token_type"],
  "properties": {
    "access_token": {"type": "string", "description": "HS256 JWT; send as Authorization: Bearer"},
    "token_type": {"type": "string", "enum": ["bearer"]}
  }
})";

constexpr const char* message_schema = R"({
  "type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}
})";

http::Response token_answer(int status, const core::IssuedToken& token) {
  return http::Response::json(
      status, json::object{{"access_token", token.access_token}, {"token_type", "bearer"}});
}

http::Response register_user(core::AccountService& accounts, http::Request& req) {
  http::JsonBody body(req);
  auto username = body.required_string("username", 1, 64);
  auto password = body.required_string("password", min_password_length, max_password_length);
  auto email = body.optional_string("email", 320);
  auto name = body.optional_string("name", 200);
  if (!username.empty() && !core::valid_username(username))
    body.add_error("username", "string does not match regex \"^[A-Za-z0-9_.@-]{1,64}$\"",
                   "value_error.str.regex");
  body.check();
  core::NewUser user;
  user.username = username;
  user.email = email.value_or("");
  user.name = name.value_or("");
  auto issued = accounts.register_user(user, password);
  if (!issued.ok()) throw http::HttpError(400, "Username already exists");
  return token_answer(201, *issued);
}

http::Response login(core::AccountService& accounts, http::Request& req) {
  http::JsonBody body(req);
  auto username = body.required_string("username", 1, 64);
  auto password = body.required_string("password", 1, max_password_length);
  body.check();
  auto issued = accounts.login(username, password);
  if (!issued.ok()) throw http::HttpError(401, "Invalid credentials");
  return token_answer(200, *issued);
}

http::Response logout(core::AccountService& accounts, http::Request& req) {
  if (!req.principal) throw http::HttpError(401, "Not authenticated");
  accounts.logout(*req.principal);
  return http::Response::json(200, json::object{{"message", "Logged out successfully"}});
}

http::Route auth_route(http::Method method, std::string pattern, http::Access access,
                       http::Handler handler) {
  http::Route r;
  r.method = method;
  r.pattern = std::move(pattern);
  r.access = access;
  r.rate_group = "auth";
  r.handler = std::move(handler);
  r.doc.tag = "Authentication";
  return r;
}

}  // namespace

void register_auth_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts) {
  auto reg = auth_route(http::Method::Post, "/api/auth/register", http::Access::Public,
                        [accounts](http::Request& req) { return register_user(*accounts, req); });
  reg.doc.summary = "Register a user and get a JWT";
  reg.doc.request_schema = register_schema;
  reg.doc.response_schema = token_schema;
  reg.doc.success_status = 201;
  reg.doc.error_statuses = {400, 422, 429};
  router.add(std::move(reg));

  auto in = auth_route(http::Method::Post, "/api/auth/login", http::Access::Public,
                       [accounts](http::Request& req) { return login(*accounts, req); });
  in.doc.summary = "Log in with username and password and get a JWT";
  in.doc.request_schema = login_schema;
  in.doc.response_schema = token_schema;
  in.doc.error_statuses = {401, 422, 429};
  router.add(std::move(in));

  auto out = auth_route(http::Method::Post, "/api/auth/logout", http::Access::User,
                        [accounts](http::Request& req) { return logout(*accounts, req); });
  out.doc.summary = "Revoke the bearer token (it stops working at once)";
  out.doc.response_schema = message_schema;
  out.doc.error_statuses = {401, 429};
  router.add(std::move(out));
}

}  // namespace companion::api
