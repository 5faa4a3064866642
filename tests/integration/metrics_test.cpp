// Metrics as an operator reads them: Prometheus /metrics and Chattr's /api/v1/metrics.
#include <gtest/gtest.h>

#include <regex>

#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

const HeaderList root_key = {{"X-API-Key", "root-test-key-0123456789"}};

// The value of the sample whose name and labels are exactly `series`; -1 when absent.
double sample(const std::string& exposition, const std::string& series) {
  auto at = exposition.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  auto start = at + series.size() + 2;
  return std::stod(exposition.substr(start, exposition.find('\n', start) - start));
}

}  // namespace

TEST(Metrics, PrometheusCountsRequestsByRoutePattern) {
  TestServer server;
  HttpClient client(server.port());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.get("/health").status, 200);
  EXPECT_EQ(client.get("/no/such/thing").status, 404);
  auto res = client.get("/metrics");
  ASSERT_EQ(res.status, 200);
  EXPECT_NE(res.header("content-type").find("version=0.0.4"), std::string::npos);
  const auto& text = res.body;
  EXPECT_NE(text.find("# TYPE companion_http_requests_total counter"), std::string::npos);
  EXPECT_EQ(
      sample(text, R"(companion_http_requests_total{method="GET",route="/health",status="200"})"),
      3);
  // Unrouted requests share one label value, never their raw path.
  EXPECT_EQ(
      sample(text, R"(companion_http_requests_total{method="GET",route="unmatched",status="404"})"),
      1);
  EXPECT_EQ(text.find("/no/such/thing"), std::string::npos);
}

TEST(Metrics, PrometheusExposesALatencyHistogram) {
  TestServer server;
  HttpClient client(server.port());
  for (int i = 0; i < 2; ++i) client.get("/health");
  auto text = client.get("/metrics").body;
  EXPECT_NE(text.find("# TYPE companion_http_request_duration_seconds histogram"),
            std::string::npos);
  EXPECT_EQ(
      sample(
          text,
          R"(companion_http_request_duration_seconds_bucket{method="GET",route="/health",le="+Inf"})"),
      2);
  EXPECT_EQ(
      sample(text,
             R"(companion_http_request_duration_seconds_count{method="GET",route="/health"})"),
      2);
  EXPECT_GE(
      sample(
          text,
          R"(companion_http_request_duration_seconds_bucket{method="GET",route="/health",le="0.0001"})"),
      0);
  EXPECT_GT(
      sample(text, R"(companion_http_request_duration_seconds_sum{method="GET",route="/health"})"),
      0);
  // Buckets are cumulative: each is at least the one before.
  std::regex bucket(
      R"(companion_http_request_duration_seconds_bucket\{method="GET",route="/health",le="[^"]+"\} (\d+))");
  double previous = 0;
  int buckets = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), bucket), end; it != end; ++it) {
    double value = std::stod((*it)[1].str());
    EXPECT_GE(value, previous);
    previous = value;
    ++buckets;
  }
  EXPECT_EQ(buckets, 17);
}

TEST(Metrics, PrometheusHasTransportGaugesAndCountsRefusedRequests) {
  TestServer server;
  HttpClient client(server.port());
  std::string big(2u << 20, 'x');
  EXPECT_EQ(client.request("POST", "/api/echo", big).status, 413);
  HttpClient again(server.port());
  auto text = again.get("/metrics").body;
  EXPECT_EQ(
      sample(text,
             R"(companion_http_requests_total{method="POST",route="/api/echo",status="413"})"),
      1);
  EXPECT_GE(sample(text, "companion_connections_active"), 1);
  EXPECT_GE(sample(text, "companion_connections_total"), 2);
  EXPECT_EQ(sample(text, "companion_websockets_active"), 0);
  EXPECT_GE(sample(text, "companion_worker_queue_depth"), 0);
  EXPECT_GE(sample(text, "companion_worker_threads"), 1);
  // The scrape itself is in flight while the answer is written.
  EXPECT_EQ(sample(text, "companion_http_requests_in_flight"), 1);
}

TEST(Metrics, MetricsEndpointIsNotRateLimited) {
  TestServer server([](companion::app::Config& c) {
    for (auto& [group, rule] : c.rate_limits) rule = {1, 1};
  });
  HttpClient client(server.port());
  for (int i = 0; i < 5; ++i) {
    auto res = client.get("/metrics");
    EXPECT_EQ(res.status, 200);
    EXPECT_TRUE(res.header("x-ratelimit-limit").empty());
  }
}

TEST(Metrics, ChattrMetricsMoveWithTraffic) {
  TestServer server;
  HttpClient client(server.port());
  auto before = client.get("/api/v1/metrics", root_key);
  ASSERT_EQ(before.status, 200) << before.body;
  auto b = before.json().as_object();
  for (const char* field : {"requests_total", "requests_per_minute", "average_response_time_ms",
                            "error_rate_percent", "active_sessions"})
    EXPECT_TRUE(b.contains(field)) << field;

  for (int i = 0; i < 4; ++i) client.get("/health");
  auto after = client.get("/api/v1/metrics", root_key).json().as_object();
  // Four health checks and the first metrics request itself.
  EXPECT_EQ(after.at("requests_total").to_number<std::int64_t>(),
            b.at("requests_total").to_number<std::int64_t>() + 5);
  EXPECT_EQ(after.at("requests_per_minute").to_number<double>(),
            b.at("requests_per_minute").to_number<double>() + 5);
  EXPECT_GT(after.at("average_response_time_ms").to_number<double>(), 0);
  EXPECT_EQ(after.at("error_rate_percent").to_number<double>(), 0);
  EXPECT_EQ(after.at("active_sessions").to_number<std::int64_t>(), 0);
}

TEST(Metrics, ChattrMetricsNeedACredential) {
  TestServer server;
  HttpClient client(server.port());
  EXPECT_EQ(client.get("/api/v1/metrics").status, 401);
}
