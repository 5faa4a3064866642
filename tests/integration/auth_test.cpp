// Authentication and accounts as a client sees them: every credential form, every
// refusal with its status and body, the register/login/logout flow, API keys with
// allow-lists, and who may read or delete which profile.
#include <gtest/gtest.h>

#include <ctime>
#include <thread>

#include <boost/json.hpp>

#include "app/state.hpp"
#include "core/accounts/jwt_codec.hpp"
#include "store/sqlite/database.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

const std::string root_key = "root-test-key-0123456789";
const std::string test_jwt_secret = "test-secret-test-secret-test-secret";

std::string register_user(HttpClient& client, const std::string& username,
                          const std::string& password = "SecurePass123!") {
  auto res = client.post_json("/api/auth/register",
                              json::object{{"username", username}, {"password", password}});
  EXPECT_EQ(res.status, 201) << res.body;
  return std::string(res.json().at("access_token").as_string());
}

HeaderList bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// Creates an API key for `owner` through the admin endpoint, using the root key.
std::string create_key(HttpClient& client, const std::string& owner, json::object extra = {}) {
  extra["user_id"] = owner;
  extra["name"] = "test key";
  auto res = client.post_json("/api/keys", extra, {{"X-API-Key", root_key}});
  EXPECT_EQ(res.status, 201) << res.body;
  return std::string(res.json().at("key").as_string());
}

std::string detail(const HttpResult& res) {
  auto d = res.json().at("detail");
  return d.is_string() ? std::string(d.as_string()) : json::serialize(d);
}

void expect_error(const HttpResult& res, int status, const std::string& detail_part) {
  EXPECT_EQ(res.status, status) << res.body;
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("status_code").as_int64(), status);
  EXPECT_TRUE(body.contains("timestamp"));
  EXPECT_NE(detail(res).find(detail_part), std::string::npos) << res.body;
}

}  // namespace

TEST(Auth, RegisterAnswers201WithBearerToken) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.post_json("/api/auth/register", json::object{{"username", "john_doe"},
                                                                 {"password", "SecurePass123!"},
                                                                 {"email", "john@example.com"},
                                                                 {"name", "John Doe"}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.json().at("token_type").as_string(), "bearer");
  std::string token(res.json().at("access_token").as_string());
  auto profile = client.get("/api/profile/john_doe", bearer(token));
  ASSERT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(profile.json().at("email").as_string(), "john@example.com");
  EXPECT_EQ(profile.json().at("name").as_string(), "John Doe");
}

TEST(Auth, DuplicateUsernameIs400) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "john_doe");
  auto res = client.post_json(
      "/api/auth/register", json::object{{"username", "john_doe"}, {"password", "OtherPass123!"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.json().at("detail").as_string(), "Username already exists");
}

TEST(Auth, ShortPasswordIs422WithFieldError) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.post_json("/api/auth/register",
                              json::object{{"username", "john_doe"}, {"password", "short"}});
  ASSERT_EQ(res.status, 422);
  auto first = res.json().at("detail").as_array().at(0).as_object();
  EXPECT_EQ(first.at("loc"), (json::array{"body", "password"}));
  EXPECT_EQ(first.at("msg").as_string(), "ensure this value has at least 8 characters");
  EXPECT_EQ(first.at("type").as_string(), "value_error");
  // Nothing was stored: the name is still free.
  register_user(client, "john_doe");
}

TEST(Auth, LoginChecksThePassword) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "john_doe");
  auto ok = client.post_json(
      "/api/auth/login", json::object{{"username", "john_doe"}, {"password", "SecurePass123!"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("token_type").as_string(), "bearer");
  auto wrong = client.post_json(
      "/api/auth/login", json::object{{"username", "john_doe"}, {"password", "WrongPass123!"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json().at("detail").as_string(), "Invalid credentials");
  auto nobody = client.post_json(
      "/api/auth/login", json::object{{"username", "nobody"}, {"password", "SecurePass123!"}});
  EXPECT_EQ(nobody.status, 401);
  EXPECT_EQ(nobody.json().at("detail").as_string(), "Invalid credentials");
}

TEST(Auth, PublicRouteIgnoresAnInvalidCredential) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "john_doe");
  auto res = client.post_json(
      "/api/auth/login", json::object{{"username", "john_doe"}, {"password", "SecurePass123!"}},
      {{"Authorization", "Bearer not-a-real-key"}});
  EXPECT_EQ(res.status, 200) << res.body;
}

TEST(Auth, LogoutRevokesTheToken) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "john_doe");
  ASSERT_EQ(client.get("/api/profile/john_doe", bearer(token)).status, 200);
  auto out = client.request("POST", "/api/auth/logout", "", bearer(token));
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(out.json().at("message").as_string(), "Logged out successfully");
  expect_error(client.get("/api/profile/john_doe", bearer(token)), 401, "revoked");
  // A fresh login still works.
  auto again = client.post_json(
      "/api/auth/login", json::object{{"username", "john_doe"}, {"password", "SecurePass123!"}});
  ASSERT_EQ(again.status, 200);
  std::string fresh(again.json().at("access_token").as_string());
  EXPECT_EQ(client.get("/api/profile/john_doe", bearer(fresh)).status, 200);
}

TEST(Auth, LogoutSurvivesRestart) {
  TempDir dir;
  std::string token;
  auto config = [&] {
    auto c = test_config(dir.path());
    return c;
  };
  {
    companion::app::Companion app(config());
    HttpClient client(app.start());
    token = register_user(client, "john_doe");
    ASSERT_EQ(client.request("POST", "/api/auth/logout", "", bearer(token)).status, 200);
    app.stop();
  }
  companion::app::Companion app(config());
  HttpClient client(app.start());
  expect_error(client.get("/api/profile/john_doe", bearer(token)), 401, "revoked");
  app.stop();
}

TEST(Auth, EveryCredentialFormIsAccepted) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  auto key = create_key(client, "alice");
  const std::string path = "/api/profile/alice";
  EXPECT_EQ(client.get(path, bearer(token)).status, 200) << "Bearer JWT";
  EXPECT_EQ(client.get(path, bearer(key)).status, 200) << "Bearer API key";
  EXPECT_EQ(client.get(path, {{"Authorization", "Api-Key " + key}}).status, 200) << "Api-Key";
  EXPECT_EQ(client.get(path, {{"X-API-Key", key}}).status, 200) << "X-API-Key";
  EXPECT_EQ(client.get(path + "?api_key=" + key).status, 200) << "?api_key=";
  EXPECT_EQ(client.get(path + "?token=" + token).status, 200) << "?token= (JWT)";
  EXPECT_EQ(client.get(path, {{"Cookie", "theme=dark; api_key=" + key}}).status, 200) << "cookie";
}

TEST(Auth, RootKeyWorksInEveryFormAndIsAdmin) {
  TestServer server;
  HttpClient client(server.port());
  const std::string admin_path = "/api/keys";
  EXPECT_EQ(client.get(admin_path, bearer(root_key)).status, 200);
  EXPECT_EQ(client.get(admin_path, {{"Authorization", "Api-Key " + root_key}}).status, 200);
  EXPECT_EQ(client.get(admin_path, {{"X-API-Key", root_key}}).status, 200);
  EXPECT_EQ(client.get(admin_path + "?api_key=" + root_key).status, 200);
  EXPECT_EQ(client.get(admin_path + "?token=" + root_key).status, 200);
  EXPECT_EQ(client.get(admin_path, {{"Cookie", "api_key=" + root_key}}).status, 200);
}

TEST(Auth, RefusalsSayWhy) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "alice");
  const std::string path = "/api/profile/alice";
  auto missing = client.get(path);
  expect_error(missing, 401, "no credential");
  EXPECT_EQ(missing.header("www-authenticate"), "Bearer");
  expect_error(client.get(path, {{"Authorization", "Basic YWxpY2U6cHc="}}), 401, "malformed");
  expect_error(client.get(path, bearer("abc.def.ghi")), 401, "malformed");
  expect_error(client.get(path, {{"X-API-Key", "ck_wrongwrongwrongwrongwrongwrongwrongwrongwro"}}),
               401, "Invalid API key");

  // A token signed with the server's secret but already past its expiry.
  companion::core::JwtCodec codec(test_jwt_secret);
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto expired = codec.encode({"alice", now - 120, now - 60, "expired-jti"});
  expect_error(client.get(path, bearer(expired)), 401, "expired");
  // The same claims signed with another secret.
  auto forged = companion::core::JwtCodec("another-secret-another-secret!!")
                    .encode({"alice", now, now + 600, "forged-jti"});
  expect_error(client.get(path, bearer(forged)), 401, "signature");
}

TEST(Auth, ShortTtlTokensExpire) {
  TestServer server([](companion::app::Config& c) { c.jwt_ttl_seconds = 1; });
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  // The token's exp is one second after issue; wait until that second has passed.
  auto deadline = std::time(nullptr) + 3;
  while (std::time(nullptr) < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  expect_error(client.get("/api/profile/alice", bearer(token)), 401, "expired");
}

TEST(Auth, RevokedKeyStopsWorkingAtOnce) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "alice");
  auto key = create_key(client, "alice");
  ASSERT_EQ(client.get("/api/profile/alice", {{"X-API-Key", key}}).status, 200);
  auto list = client.get("/api/keys", {{"X-API-Key", root_key}});
  ASSERT_EQ(list.status, 200);
  auto keys = list.json().at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_FALSE(keys[0].as_object().contains("key"));  // listings never show the secret
  EXPECT_EQ(key.rfind(std::string(keys[0].at("prefix").as_string()), 0), 0u);
  auto id = keys[0].at("id").as_int64();
  auto del =
      client.request("DELETE", "/api/keys/" + std::to_string(id), "", {{"X-API-Key", root_key}});
  ASSERT_EQ(del.status, 200) << del.body;
  expect_error(client.get("/api/profile/alice", {{"X-API-Key", key}}), 401, "revoked");
  EXPECT_EQ(client.request("DELETE", "/api/keys/9999", "", {{"X-API-Key", root_key}}).status, 404);
}

TEST(Auth, AllowListMissNamesTheFailedChecks) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "alice");
  auto key = create_key(client, "alice",
                        json::object{{"allowed_origins", json::array{"https://app.example.com"}},
                                     {"allowed_cidrs", json::array{"10.0.0.0/8"}}});
  auto res = client.get("/api/profile/alice",
                        {{"Authorization", "Api-Key " + key}, {"Origin", "https://evil.test"}});
  expect_error(res, 403, "origin");
  EXPECT_NE(detail(res).find("ip"), std::string::npos) << res.body;
  auto allowed = client.get("/api/profile/alice", {{"Authorization", "Api-Key " + key},
                                                   {"Origin", "https://app.example.com"}});
  EXPECT_EQ(allowed.status, 200) << allowed.body;
}

TEST(Auth, AllowListHitByCidr) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "alice");
  auto key = create_key(client, "alice",
                        json::object{{"allowed_hosts", json::array{"api.example.com"}},
                                     {"allowed_cidrs", json::array{"127.0.0.0/8", "::1"}}});
  auto res = client.get("/api/profile/alice", {{"Authorization", "Api-Key " + key}});
  EXPECT_EQ(res.status, 200) << res.body;
}

TEST(Auth, KeyCreationValidatesInput) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "alice");
  auto bad = client.post_json(
      "/api/keys",
      json::object{{"user_id", "alice"}, {"allowed_cidrs", json::array{"10.0.0.0/99"}}},
      {{"X-API-Key", root_key}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json().at("detail").as_array().at(0).at("loc"),
            (json::array{"body", "allowed_cidrs"}));
  auto nobody =
      client.post_json("/api/keys", json::object{{"user_id", "nobody"}}, {{"X-API-Key", root_key}});
  EXPECT_EQ(nobody.status, 404);
}

TEST(Auth, AdminRoutesRefuseOrdinaryUsers) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  expect_error(client.get("/api/keys", bearer(token)), 403, "Admin");
  expect_error(client.get("/api/keys"), 401, "no credential");
  auto made = client.post_json("/api/keys", json::object{{"user_id", "alice"}}, bearer(token));
  EXPECT_EQ(made.status, 403);
}

TEST(Auth, UsersCannotTouchOtherProfilesButAdminsCan) {
  TestServer server;
  HttpClient client(server.port());
  auto alice = register_user(client, "alice");
  register_user(client, "bob");
  expect_error(client.get("/api/profile/bob", bearer(alice)), 403, "another user");
  expect_error(client.request("DELETE", "/api/profile/bob", "", bearer(alice)), 403,
               "another user");
  expect_error(client.get("/api/profile/nobody", bearer(alice)), 403, "another user");
  EXPECT_EQ(client.get("/api/profile/bob", {{"X-API-Key", root_key}}).status, 200);
  expect_error(client.get("/api/profile/nobody", {{"X-API-Key", root_key}}), 404, "not found");
  // bob is still there after alice's attempt
  EXPECT_EQ(client.get("/api/profile/bob", {{"X-API-Key", root_key}}).status, 200);
}

TEST(Auth, ProfileUpdateReportsFieldsAndPersists) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "john_doe");
  json::object update{{"name", "John Smith"},
                      {"preferences", json::object{{"tone", "professional"}}},
                      {"interests", json::array{"AI", "robotics"}}};
  auto res =
      client.request("PUT", "/api/profile/john_doe", json::serialize(update),
                     {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json().at("message").as_string(), "Profile updated successfully");
  EXPECT_EQ(res.json().at("updated_fields"), (json::array{"name", "preferences", "interests"}));
  auto profile = client.get("/api/profile/john_doe", bearer(token)).json();
  EXPECT_EQ(profile.at("name").as_string(), "John Smith");
  EXPECT_EQ(profile.at("preferences").at("tone").as_string(), "professional");
  EXPECT_EQ(profile.at("interests"), (json::array{"AI", "robotics"}));
  auto bad = client.request("PUT", "/api/profile/john_doe", R"({"interests": "AI"})",
                            {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(bad.status, 422);
}

TEST(Auth, ProfileDeleteCountsWhatItRemoved) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "john_doe");
  auto me = server.app().state().accounts->find_user("john_doe");
  ASSERT_TRUE(me);
  // Two conversations with three messages between them, as the chat store would hold them.
  server.app().state().database->write([&](companion::store::sqlite::Connection& c) {
    for (int s = 0; s < 2; ++s) {
      auto st = c.prepare(
          "INSERT INTO sessions (external_id, user_id, created_at, last_activity) "
          "VALUES (?1, ?2, 0, 0)");
      st.bind(1, std::string("session-").append(std::to_string(s))).bind(2, me->id);
      st.run();
      auto sid = c.last_insert_rowid();
      for (int m = 0; m < (s == 0 ? 2 : 1); ++m) {
        auto msg = c.prepare(
            "INSERT INTO messages (session_id, user_id, role, content, created_at) "
            "VALUES (?1, ?2, 'user', 'hi', 0)");
        msg.bind(1, sid).bind(2, me->id);
        msg.run();
      }
    }
  });
  auto profile = client.get("/api/profile/john_doe", bearer(token)).json();
  EXPECT_EQ(profile.at("total_conversations").as_int64(), 2);
  EXPECT_EQ(profile.at("total_messages").as_int64(), 3);

  auto res = client.request("DELETE", "/api/profile/john_doe", "", bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json().at("message").as_string(), "Profile deleted successfully");
  auto deleted = res.json().at("deleted_data");
  EXPECT_EQ(deleted.at("conversations").as_int64(), 2);
  EXPECT_EQ(deleted.at("messages").as_int64(), 3);
  EXPECT_EQ(deleted.at("memories").as_int64(), 0);
  expect_error(client.get("/api/profile/john_doe", {{"X-API-Key", root_key}}), 404, "not found");
  expect_error(client.get("/api/profile/john_doe", bearer(token)), 401, "no longer exists");
}

TEST(Auth, AdminMayActForOthersUsersOnlyForThemselves) {
  TestServer server;
  HttpClient client(server.port());
  register_user(client, "alice");
  auto& accounts = *server.app().state().accounts;
  companion::core::Principal root{0, "root", companion::core::Role::Admin,
                                  companion::core::CredentialKind::RootKey};
  auto acting = accounts.resolve_acting_user(root, "dave");
  ASSERT_TRUE(acting.ok());
  EXPECT_EQ(acting->username, "dave");
  EXPECT_TRUE(accounts.find_user("dave").has_value());  // created on first use
  EXPECT_EQ(acting->role, companion::core::Role::User);

  auto alice = accounts.find_user("alice");
  companion::core::Principal user{alice->id, "alice", companion::core::Role::User,
                                  companion::core::CredentialKind::Jwt};
  EXPECT_TRUE(accounts.resolve_acting_user(user, "").ok());
  EXPECT_TRUE(accounts.resolve_acting_user(user, "alice").ok());
  auto refused = accounts.resolve_acting_user(user, "dave");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), companion::core::AccountError::NotAllowed);
}

TEST(Auth, OpenModeActsAsTheNamedUser) {
  TestServer server([](companion::app::Config& c) { c.auth_mode = "open"; });
  HttpClient client(server.port());
  auto own = client.get("/api/profile/default_user");
  EXPECT_EQ(own.status, 200) << own.body;
  auto named = client.get("/api/profile/carol?user_id=carol");
  EXPECT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(client.get("/api/profile/carol").status, 403);  // acts as default_user
  EXPECT_EQ(client.get("/api/keys").status, 401);           // admin still needs a credential
}

TEST(Auth, FirstStartWithoutRootKeyCreatesAnAdminKey) {
  TestServer server([](companion::app::Config& c) { c.root_api_key.clear(); });
  auto& accounts = *server.app().state().accounts;
  auto admin = accounts.find_user("admin");
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->role, companion::core::Role::Admin);
  auto keys = accounts.list_api_keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].username, "admin");
  // The root key of other tests does not exist here.
  HttpClient client(server.port());
  EXPECT_EQ(client.get("/api/keys", {{"X-API-Key", root_key}}).status, 401);
}

TEST(Auth, UserRegisteredAfterBeingLookedUpCanUseTheirTokenAtOnce) {
  TestServer server;
  HttpClient client(server.port());
  // A valid signature for a user that does not exist yet: refused, and remembered as unknown.
  companion::core::JwtCodec codec(test_jwt_secret);
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto early = codec.encode({"newcomer", now, now + 600, "early-jti"});
  EXPECT_EQ(client.get("/api/profile/newcomer", bearer(early)).status, 401);
  // Registering must not be shadowed by that memory.
  std::string token = register_user(client, "newcomer");
  auto res = client.get("/api/profile/newcomer", bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
}
