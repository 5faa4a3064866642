#include "api/profile_routes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http/error.hpp"
#include "http/json_body.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr const char* profile_schema = R"({
  "type": "object",
  "properties": {
    "user_id": {"type": "string"},
    "name": {"type": "string"},
    "email": {"type": "string"},
    "preferences": {"type": "object"},
    "personality_traits": {"type": "object"},
    "interests": {"type": "array", "items": {"type": "string"}},
    "created_at": {"type": "string", "format": "date-time"},
    "last_active": {"type": ["string", "null"], "format": "date-time"},
    "total_conversations": {"type": "integer"},
    "total_messages": {"type": "integer"}
  }
})";

constexpr const char* update_schema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string"},
    "email": {"type": "string"},
    "preferences": {"type": "object"},
    "personality_traits": {"type": "object"},
    "interests": {"type": "array", "items": {"type": "string"}}
  }
})";

constexpr const char* updated_schema = R"({
  "type": "object",
  "properties": {
    "message": {"type": "string"},
    "user_id": {"type": "string"},
    "updated_fields": {"type": "array", "items": {"type": "string"}}
  }
})";

constexpr const char* deleted_schema = R"({
  "type": "object",
  "properties": {
    "message": {"type": "string"},
    "user_id": {"type": "string"},
    "deleted_data": {
      "type": "object",
      "properties": {
        "conversations": {"type": "integer"},
        "messages": {"type": "integer"},
        "memories": {"type": "integer"}
      }
    }
  }
})";

// The stored document, or the empty value of its kind should the text ever be unreadable.
json::value parse_stored(const std::string& text, json::value fallback) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? fallback : v;
}

// The profile's user, after checking that the caller may touch it. A non-admin asking for
// someone else gets 403 whether or not that user exists, so names cannot be probed.
core::User target_user(core::AccountService& accounts, const http::Request& req) {
  if (!req.principal) throw http::HttpError(401, "Not authenticated");
  std::string name(req.param("user_id"));
  if (!req.principal->may_act_for(name))
    throw http::HttpError(403, "Not allowed to access another user's profile");
  auto user = accounts.find_user(name);
  if (!user) throw http::HttpError(404, "User not found");
  return std::move(*user);
}

http::Response get_profile(core::AccountService& accounts, http::Request& req) {
  auto user = target_user(accounts, req);
  auto profile = accounts.profile(user);
  auto counts = accounts.activity_counts(user);
  json::object answer{
      {"user_id", user.username},
      {"name", user.name},
      {"email", user.email},
      {"preferences", parse_stored(profile.preferences_json, json::object())},
      {"personality_traits", parse_stored(profile.personality_traits_json, json::object())},
      {"interests", parse_stored(profile.interests_json, json::array())},
      {"created_at", http::iso8601_from_unix(user.created_at)},
      {"last_active",
       user.last_active ? json::value(http::iso8601_from_unix(*user.last_active)) : nullptr},
      {"total_conversations", counts.conversations},
      {"total_messages", counts.messages}};
  return http::Response::json(200, answer);
}

http::Response update_profile(core::AccountService& accounts, http::Request& req) {
  auto user = target_user(accounts, req);
  http::JsonBody body(req);
  core::ProfileUpdate update;
  json::array updated;
  update.name = body.optional_string("name", 200);
  update.email = body.optional_string("email", 320);
  if (auto prefs = body.optional_object("preferences"))
    update.preferences_json = json::serialize(*prefs);
  if (auto traits = body.optional_object("personality_traits"))
    update.personality_traits_json = json::serialize(*traits);
  if (auto interests = body.optional_string_list("interests", 200)) {
    json::array a;
    for (auto& i : *interests) a.emplace_back(i);
    update.interests_json = json::serialize(a);
  }
  body.check();
  if (update.name) updated.emplace_back("name");
  if (update.email) updated.emplace_back("email");
  if (update.preferences_json) updated.emplace_back("preferences");
  if (update.personality_traits_json) updated.emplace_back("personality_traits");
  if (update.interests_json) updated.emplace_back("interests");
  accounts.update_profile(user, update);
  json::object answer{{"message", "Profile updated successfully"},
                      {"user_id", user.username},
                      {"updated_fields", std::move(updated)}};
  return http::Response::json(200, answer);
}

http::Response delete_profile(core::AccountService& accounts, http::Request& req) {
  auto user = target_user(accounts, req);
  auto deleted = accounts.delete_user(user);
  json::object answer{{"message", "Profile deleted successfully"},
                      {"user_id", user.username},
                      {"deleted_data", json::object{{"conversations", deleted.conversations},
                                                    {"messages", deleted.messages},
                                                    {"memories", deleted.memories}}}};
  return http::Response::json(200, answer);
}

http::Route profile_route(http::Method method, http::Handler handler) {
  http::Route r;
  r.method = method;
  r.pattern = "/api/profile/{user_id}";
  r.access = http::Access::User;
  r.rate_group = "default";
  r.handler = std::move(handler);
  r.doc.tag = "Profile";
  r.doc.error_statuses = {401, 403, 404, 429};
  return r;
}

}  // namespace

void register_profile_routes(http::Router& router, std::shared_ptr<core::AccountService> accounts) {
  auto get = profile_route(http::Method::Get,
                           [accounts](http::Request& req) { return get_profile(*accounts, req); });
  get.doc.summary = "Get a user's profile (own profile or admin)";
  get.doc.response_schema = profile_schema;
  router.add(std::move(get));

  auto put = profile_route(
      http::Method::Put, [accounts](http::Request& req) { return update_profile(*accounts, req); });
  put.doc.summary = "Update profile fields (own profile or admin)";
  put.doc.request_schema = update_schema;
  put.doc.response_schema = updated_schema;
  put.doc.error_statuses = {401, 403, 404, 422, 429};
  router.add(std::move(put));

  auto del = profile_route(http::Method::Delete, [accounts](http::Request& req) {
    return delete_profile(*accounts, req);
  });
  del.doc.summary = "Delete the user and everything it owns (own profile or admin)";
  del.doc.response_schema = deleted_schema;
  router.add(std::move(del));
}

}  // namespace companion::api
