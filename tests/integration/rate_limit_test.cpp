// Rate limits as a client sees them: the X-RateLimit-* headers, the 429 answer once the
// budget is spent, one budget per principal or address, unlimited probes.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

const HeaderList root_key = {{"X-API-Key", "root-test-key-0123456789"}};

std::int64_t header_number(const HttpResult& res, const std::string& name) {
  return std::stoll(res.header(name));
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::function<void(companion::app::Config&)> limits(double default_burst, double auth_burst = 20) {
  return [=](companion::app::Config& c) {
    c.rate_limits["default"] = {default_burst, default_burst};
    c.rate_limits["auth"] = {auth_burst, auth_burst};
  };
}

std::string register_user(HttpClient& client, const std::string& name) {
  auto res = client.post_json("/api/auth/register",
                              json::object{{"username", name}, {"password", "correct horse 42"}});
  EXPECT_EQ(res.status, 201) << res.body;
  return std::string(res.json().at("access_token").as_string());
}

}  // namespace

TEST(RateLimit, EveryAnswerOfALimitedRouteCarriesTheHeaders) {
  TestServer server(limits(5));
  HttpClient client(server.port());
  auto ok = client.post_json("/api/echo", json::object{{"a", 1}}, root_key);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(header_number(ok, "x-ratelimit-limit"), 5);
  EXPECT_EQ(header_number(ok, "x-ratelimit-remaining"), 4);
  auto reset = header_number(ok, "x-ratelimit-reset");
  EXPECT_GE(reset, unix_now());
  EXPECT_LE(reset, unix_now() + 61);

  // An error answer of the same route counts and carries them too.
  HeaderList json_headers = root_key;
  json_headers.emplace_back("Content-Type", "application/json");
  auto bad = client.request("POST", "/api/echo", "{not json", json_headers);
  EXPECT_GE(bad.status, 400);
  EXPECT_LT(bad.status, 500);
  EXPECT_EQ(header_number(bad, "x-ratelimit-limit"), 5);
  EXPECT_EQ(header_number(bad, "x-ratelimit-remaining"), 3);
}

TEST(RateLimit, SpentBudgetAnswers429WithRetryAfter) {
  TestServer server(limits(2));
  HttpClient client(server.port());
  EXPECT_EQ(client.post_json("/api/echo", json::object{}, root_key).status, 200);
  EXPECT_EQ(client.post_json("/api/echo", json::object{}, root_key).status, 200);
  auto refused = client.post_json("/api/echo", json::object{}, root_key);
  ASSERT_EQ(refused.status, 429) << refused.body;
  auto retry_after = header_number(refused, "retry-after");
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 30);  // two a minute: one token every 30 s
  auto body = refused.json().as_object();
  EXPECT_EQ(body.at("detail").as_string(),
            "Rate limit exceeded. Try again in " + std::to_string(retry_after) + " seconds.");
  EXPECT_EQ(body.at("code").as_string(), "RATE_LIMIT_EXCEEDED");
  EXPECT_EQ(body.at("status_code").as_int64(), 429);
  EXPECT_TRUE(body.contains("timestamp"));
  EXPECT_EQ(header_number(refused, "x-ratelimit-remaining"), 0);
  EXPECT_EQ(header_number(refused, "x-ratelimit-limit"), 2);
}

TEST(RateLimit, RefusedRequestNeverReachesTheHandler) {
  TestServer server(limits(100, /*auth_burst=*/1));
  HttpClient client(server.port());
  register_user(client, "first_user");
  auto refused =
      client.post_json("/api/auth/register",
                       json::object{{"username", "second_user"}, {"password", "correct horse 42"}});
  ASSERT_EQ(refused.status, 429);
  // The root principal has a budget of its own; logging in as the refused user fails
  // because the refused registration created nobody.
  auto login = client.post_json(
      "/api/auth/login",
      json::object{{"username", "second_user"}, {"password", "correct horse 42"}}, root_key);
  EXPECT_EQ(login.status, 401) << login.body;
}

TEST(RateLimit, PrincipalsAndAddressesHaveSeparateBudgets) {
  TestServer server(limits(100, /*auth_burst=*/3));
  HttpClient client(server.port());
  // Registering spends the anonymous address's budget of the auth group.
  std::string alice = register_user(client, "alice_rl");
  std::string bob = register_user(client, "bob_rl");
  HeaderList as_alice = {{"Authorization", "Bearer " + alice}};
  HeaderList as_bob = {{"Authorization", "Bearer " + bob}};
  auto first = client.request("POST", "/api/auth/logout", {}, as_alice);
  EXPECT_NE(first.status, 429);
  EXPECT_EQ(header_number(first, "x-ratelimit-remaining"), 2);  // alice's own bucket
  auto bobs = client.request("POST", "/api/auth/logout", {}, as_bob);
  EXPECT_NE(bobs.status, 429);
  EXPECT_EQ(header_number(bobs, "x-ratelimit-remaining"), 2);  // bob's own bucket
  // The address's own budget: one registration left, then refused.
  auto third =
      client.post_json("/api/auth/register",
                       json::object{{"username", "carol_rl"}, {"password", "correct horse 42"}});
  EXPECT_EQ(third.status, 201);
  EXPECT_EQ(header_number(third, "x-ratelimit-remaining"), 0);
  auto fourth =
      client.post_json("/api/auth/register",
                       json::object{{"username", "dave_rl"}, {"password", "correct horse 42"}});
  EXPECT_EQ(fourth.status, 429);
}

TEST(RateLimit, HealthIsNotLimited) {
  TestServer server(limits(1, 1));
  HttpClient client(server.port());
  for (int i = 0; i < 10; ++i) {
    auto res = client.get("/health");
    EXPECT_EQ(res.status, 200);
    EXPECT_TRUE(res.header("x-ratelimit-limit").empty());
  }
}
