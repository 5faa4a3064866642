// The transport as a client sees it: keep-alive, limits, errors, shutdown.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;

TEST(Transport, HealthAnswersOverKeepAlive) {
  TestServer server;
  HttpClient client(server.port());
  for (int i = 0; i < 3; ++i) {
    auto res = client.get("/health");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.json().at("status").as_string(), "healthy");
    EXPECT_FALSE(res.header("x-request-id").empty());
  }
}

TEST(Transport, UnknownPathIs404WithUnionErrorBody) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.get("/no/such/thing");
  EXPECT_EQ(res.status, 404);
  auto body = res.json().as_object();
  EXPECT_EQ(body.at("detail").as_string(), "Not Found");
  EXPECT_EQ(body.at("code").as_string(), "NOT_FOUND");
  EXPECT_EQ(body.at("status_code").as_int64(), 404);
  EXPECT_TRUE(body.contains("timestamp"));
}

TEST(Transport, WrongMethodIs405WithAllow) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.request("DELETE", "/health");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("allow"), "GET");
  EXPECT_EQ(res.json().at("status_code").as_int64(), 405);
}

TEST(Transport, OversizedBodyIs413AndServerSurvives) {
  TestServer server;
  HttpClient client(server.port());
  std::string big(2u << 20, 'x');
  auto res = client.request("POST", "/health", big);
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.json().at("code").as_string(), "PAYLOAD_TOO_LARGE");
  HttpClient again(server.port());
  EXPECT_EQ(again.get("/health").status, 200);
}

TEST(Transport, HugeHeaderIs431) {
  TestServer server;
  HttpClient client(server.port());
  std::string request = "GET /health HTTP/1.1\r\nHost: x\r\nX-Junk: " +
                        std::string(64 * 1024, 'a') + "\r\n\r\n";
  auto answer = client.raw(request, std::chrono::seconds(3));
  EXPECT_NE(answer.find(" 431 "), std::string::npos) << answer.substr(0, 200);
}

TEST(Transport, GarbageRequestIsAnswered400AndClosed) {
  TestServer server;
  HttpClient client(server.port());
  auto answer = client.raw("THIS IS NOT HTTP\r\n\r\n", std::chrono::seconds(2));
  EXPECT_NE(answer.find(" 400 "), std::string::npos) << answer;
  HttpClient again(server.port());
  EXPECT_EQ(again.get("/health").status, 200);
}

TEST(Transport, HeadHasNoBody) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.request("HEAD", "/health");
  EXPECT_EQ(res.status, 200);
  EXPECT_TRUE(res.body.empty());
  EXPECT_NE(res.header("content-length"), "0");
}
