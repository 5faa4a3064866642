// CORS as a browser meets it: preflights and simple requests from allowed and disallowed
// origins, and the allow-all mode.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;

namespace {

const std::string app_origin = "https://app.example.com";
const std::string evil_origin = "https://evil.example.net";

std::function<void(companion::app::Config&)> allow_list() {
  return [](companion::app::Config& c) { c.cors_allowed_origins = {app_origin}; };
}

HeaderList preflight_headers(const std::string& origin, const std::string& method) {
  return {{"Origin", origin},
          {"Access-Control-Request-Method", method},
          {"Access-Control-Request-Headers", "content-type, x-api-key"}};
}

}  // namespace

TEST(Cors, PreflightFromAllowedOriginIsAnswered) {
  TestServer server(allow_list());
  HttpClient client(server.port());
  // /api/echo has only a POST route; the preflight is answered all the same.
  auto res = client.request("OPTIONS", "/api/echo", {}, preflight_headers(app_origin, "POST"));
  EXPECT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(res.header("access-control-allow-origin"), app_origin);
  EXPECT_EQ(res.header("access-control-allow-credentials"), "true");
  auto methods = res.header("access-control-allow-methods");
  EXPECT_NE(methods.find("POST"), std::string::npos) << methods;
  EXPECT_NE(methods.find("OPTIONS"), std::string::npos) << methods;
  EXPECT_EQ(res.header("access-control-allow-headers"), "content-type, x-api-key");
  EXPECT_FALSE(res.header("access-control-max-age").empty());
  EXPECT_NE(res.header("vary").find("Origin"), std::string::npos);
}

TEST(Cors, PreflightFromDisallowedOriginIs403WithoutCorsHeaders) {
  TestServer server(allow_list());
  HttpClient client(server.port());
  auto res = client.request("OPTIONS", "/api/echo", {}, preflight_headers(evil_origin, "POST"));
  EXPECT_EQ(res.status, 403);
  EXPECT_TRUE(res.header("access-control-allow-origin").empty());
  EXPECT_TRUE(res.header("access-control-allow-methods").empty());
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("code").as_string(), "FORBIDDEN");
  EXPECT_EQ(body.at("status_code").as_int64(), 403);
}

TEST(Cors, PreflightForUnknownPathIs404) {
  TestServer server(allow_list());
  HttpClient client(server.port());
  auto res = client.request("OPTIONS", "/no/such/path", {}, preflight_headers(app_origin, "GET"));
  EXPECT_EQ(res.status, 404);
}

TEST(Cors, SimpleRequestFromAllowedOriginGetsAllowOriginAndExposedHeaders) {
  TestServer server(allow_list());
  HttpClient client(server.port());
  auto res = client.get("/health", {{"Origin", app_origin}});
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("access-control-allow-origin"), app_origin);
  EXPECT_EQ(res.header("access-control-allow-credentials"), "true");
  EXPECT_NE(res.header("vary").find("Origin"), std::string::npos);
  auto exposed = res.header("access-control-expose-headers");
  EXPECT_NE(exposed.find("X-RateLimit-Remaining"), std::string::npos) << exposed;
  EXPECT_NE(exposed.find("X-Request-ID"), std::string::npos) << exposed;
}

TEST(Cors, SimpleRequestFromDisallowedOriginGetsNoCorsHeaders) {
  TestServer server(allow_list());
  HttpClient client(server.port());
  auto res = client.get("/health", {{"Origin", evil_origin}});
  EXPECT_EQ(res.status, 200);  // the server answers; the browser withholds it from the page
  EXPECT_TRUE(res.header("access-control-allow-origin").empty());
  EXPECT_TRUE(res.header("access-control-expose-headers").empty());
}

TEST(Cors, RequestWithoutOriginGetsNoCorsHeaders) {
  TestServer server(allow_list());
  HttpClient client(server.port());
  auto res = client.get("/health");
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.header("access-control-allow-origin").empty());
}

TEST(Cors, AllowAllModeAnswersAnyOriginWithoutCredentials) {
  TestServer server([](companion::app::Config& c) { c.cors_allow_all = true; });
  HttpClient client(server.port());
  auto pre = client.request("OPTIONS", "/health", {}, preflight_headers(evil_origin, "GET"));
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.header("access-control-allow-origin"), "*");
  EXPECT_TRUE(pre.header("access-control-allow-credentials").empty());
  auto simple = client.get("/health", {{"Origin", evil_origin}});
  EXPECT_EQ(simple.status, 200);
  EXPECT_EQ(simple.header("access-control-allow-origin"), "*");
}

TEST(Cors, ErrorAnswersCarryCorsHeadersSoPagesCanReadThem) {
  TestServer server(allow_list());
  HttpClient client(server.port());
  auto res = client.request("POST", "/api/echo", "{}",
                            {{"Origin", app_origin}, {"Content-Type", "application/json"}});
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.header("access-control-allow-origin"), app_origin);
}
