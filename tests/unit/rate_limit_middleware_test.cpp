// The rate-limit unit in the chain: which requests it limits, under which rule and key.
#include <gtest/gtest.h>

#include "http/middleware/rate_limit.hpp"
#include "http/route.hpp"
#include "store/memory/memory_rate_limiter.hpp"

using namespace companion;

namespace {

struct Fixture {
  core::WallClock::time_point now =
      core::WallClock::time_point(std::chrono::seconds(1'700'000'000));
  int handled = 0;
  http::RateLimit limit{std::make_shared<store::MemoryRateLimiter>(),
                        {{"default", {60, 2}}, {"chat", {60, 1}}},
                        [this] { return now; }};

  http::Response call(const http::Route& route, std::string ip = "10.0.0.1") {
    http::Request req;
    req.route = &route;
    req.remote_ip = std::move(ip);
    return limit.handle(req, [this](http::Request&) {
      ++handled;
      return http::Response::text(200, "ok", "text/plain");
    });
  }
};

http::Route route_in(std::string group) {
  http::Route r;
  r.pattern = "/x";
  r.rate_group = std::move(group);
  return r;
}

}  // namespace

TEST(RateLimitMiddleware, UnknownGroupFallsBackToDefault) {
  Fixture f;
  auto route = route_in("no-such-group");
  EXPECT_EQ(f.call(route).headers.value_or("X-RateLimit-Limit", ""), "2");
  EXPECT_EQ(f.call(route).status, 200);
  auto refused = f.call(route);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.headers.value_or("Retry-After", ""), "1");
  EXPECT_EQ(f.handled, 2);
}

TEST(RateLimitMiddleware, EmptyGroupIsNotLimited) {
  Fixture f;
  auto route = route_in("");
  for (int i = 0; i < 10; ++i) {
    auto res = f.call(route);
    EXPECT_EQ(res.status, 200);
    EXPECT_FALSE(res.headers.has("X-RateLimit-Limit"));
  }
}

TEST(RateLimitMiddleware, BudgetComesBackAsTimePasses) {
  Fixture f;
  auto chat = route_in("chat");
  EXPECT_EQ(f.call(chat).status, 200);
  EXPECT_EQ(f.call(chat).status, 429);
  f.now += std::chrono::seconds(1);
  EXPECT_EQ(f.call(chat).status, 200);
  EXPECT_EQ(f.call(chat, "10.0.0.2").status, 200);  // another address, another bucket
}

TEST(RateLimitMiddleware, RejectsRulesThatAdmitNothing) {
  EXPECT_THROW(http::RateLimit(std::make_shared<store::MemoryRateLimiter>(), {{"default", {0, 5}}}),
               std::invalid_argument);
  EXPECT_THROW(
      http::RateLimit(std::make_shared<store::MemoryRateLimiter>(), {{"default", {5, 0.5}}}),
      std::invalid_argument);
}
