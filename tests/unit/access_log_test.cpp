// The access log writes one JSON object per request with what an operator needs.
#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <boost/json.hpp>

#include "http/middleware/access_log.hpp"
#include "http/route.hpp"

using namespace companion;

namespace {

std::vector<boost::json::object> log_lines(const std::string& text) {
  std::vector<boost::json::object> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(boost::json::parse(line).as_object());
  return out;
}

}  // namespace

TEST(AccessLog, WritesOneJsonLinePerRequest) {
  std::ostringstream written;
  http::Route route;
  route.pattern = "/api/profile/{user_id}";
  {
    http::AccessLog log(std::make_shared<spdlog::sinks::ostream_sink_mt>(written));
    http::Request req;
    req.method = http::Method::Get;
    req.path = "/api/profile/al\"ice\n";
    req.route = &route;
    req.request_id = "req-1";
    req.remote_ip = "10.1.2.3";
    req.principal = core::Principal{};
    req.principal->username = "alice";
    log.handle(req,
               [](http::Request&) { return http::Response::text(201, "hello", "text/plain"); });

    http::Request anonymous;
    anonymous.method = http::Method::Post;
    anonymous.path = "/nowhere";
    log.handle(anonymous,
               [](http::Request&) { return http::Response::text(404, "", "text/plain"); });
  }  // destroying the log writes what is queued

  auto lines = log_lines(written.str());
  ASSERT_EQ(lines.size(), 2u) << written.str();
  const auto& first = lines[0];
  EXPECT_EQ(first.at("method").as_string(), "GET");
  EXPECT_EQ(first.at("path").as_string(), "/api/profile/al\"ice\n");
  EXPECT_EQ(first.at("route").as_string(), "/api/profile/{user_id}");
  EXPECT_EQ(first.at("status").as_int64(), 201);
  EXPECT_EQ(first.at("bytes").as_int64(), 5);
  EXPECT_EQ(first.at("user").as_string(), "alice");
  EXPECT_EQ(first.at("remote_ip").as_string(), "10.1.2.3");
  EXPECT_EQ(first.at("request_id").as_string(), "req-1");
  EXPECT_GE(first.at("duration_ms").to_number<double>(), 0.0);
  EXPECT_TRUE(first.at("time").as_string().ends_with("Z"));

  const auto& second = lines[1];
  EXPECT_TRUE(second.at("route").is_null());
  EXPECT_TRUE(second.at("user").is_null());
  EXPECT_EQ(second.at("status").as_int64(), 404);
}
