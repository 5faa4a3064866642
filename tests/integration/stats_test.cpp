// AI Friend's administrator statistics: counted from the store, the sessions and the
// process, and refused to ordinary users.
#include <gtest/gtest.h>

#include <thread>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

const HeaderList root = {{"X-API-Key", "root-test-key-0123456789"}};

std::string register_user(HttpClient& client, const std::string& name) {
  auto res = client.post_json("/api/auth/register",
                              json::object{{"username", name}, {"password", "SecurePass123!"}});
  EXPECT_EQ(res.status, 201) << res.body;
  return std::string(res.json().at("access_token").as_string());
}

json::object stats(HttpClient& client) {
  auto res = client.get("/stats", root);
  EXPECT_EQ(res.status, 200) << res.body;
  return res.json().as_object();
}

}  // namespace

TEST(Stats, CountsUsersAndOpenSessions) {
  TestServer server;
  HttpClient client(server.port());
  auto before = stats(client);
  register_user(client, "alice");
  register_user(client, "bob");
  WsClient ws(server.port(), "/ws?user_id=alice&client_type=web&api_key=root-test-key-0123456789");
  auto welcome = ws.read_json();
  ASSERT_TRUE(welcome);
  auto after = stats(client);
  EXPECT_EQ(after.at("total_users").as_int64(), before.at("total_users").as_int64() + 2);
  EXPECT_GE(after.at("active_sessions").as_int64(), 1);
  bool listed = false;
  for (const auto& s : after.at("session_info").as_array())
    if (s.at("user_id").as_string() == "alice") listed = true;
  EXPECT_TRUE(listed) << json::serialize(after);
  EXPECT_GT(after.at("database_size_mb").as_double(), 0.0);
  EXPECT_GE(after.at("requests_per_minute").as_int64(), 3);
}

TEST(Stats, ReportsTheProcessMemoryOnceSampled) {
  TestServer server;
  HttpClient client(server.port());
  json::object body;
  for (int i = 0; i < 50 && !body.contains("memory_usage_mb"); ++i) {
    body = stats(client);
    if (!body.contains("memory_usage_mb"))
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(body.contains("memory_usage_mb"));
  EXPECT_GT(body.at("memory_usage_mb").as_double(), 1.0);
  EXPECT_GE(body.at("cpu_usage_percent").as_double(), 0.0);
}

TEST(Stats, OrdinaryUsersAreRefused) {
  TestServer server;
  HttpClient client(server.port());
  std::string token = register_user(client, "carol");
  auto res = client.get("/stats", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(client.get("/stats").status, 401);
}
