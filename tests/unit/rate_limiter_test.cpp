// Token buckets: refill over (injected) time, what the decision reports, and the in-process
// backend's separation of keys and bounded memory.
#include <gtest/gtest.h>

#include <string>

#include "core/ratelimit/token_bucket.hpp"
#include "store/memory/memory_rate_limiter.hpp"

using companion::core::RateRule;
using companion::core::WallClock;
using companion::store::MemoryRateLimiter;
using std::chrono::seconds;

namespace {

// A fixed instant on a whole second, so reset times are exact.
WallClock::time_point t0() {
  return WallClock::time_point(seconds(1'700'000'000));
}
std::int64_t unix_at(WallClock::time_point t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}

}  // namespace

TEST(RateLimiter, FreshBucketAllowsTheBurstThenRefuses) {
  MemoryRateLimiter limiter;
  RateRule rule{60, 3};  // one token a second, three at most
  for (int i = 0; i < 3; ++i) {
    auto d = limiter.consume("k", rule, t0());
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.remaining, 2 - i);
  }
  auto refused = limiter.consume("k", rule, t0());
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_EQ(refused.reset, unix_at(t0()) + 3);  // three seconds to be full again
}

TEST(RateLimiter, BucketRefillsWithTheInjectedClock) {
  MemoryRateLimiter limiter;
  RateRule rule{6, 2};  // one token every ten seconds
  EXPECT_TRUE(limiter.consume("k", rule, t0()).allowed);
  EXPECT_TRUE(limiter.consume("k", rule, t0()).allowed);
  auto refused = limiter.consume("k", rule, t0() + seconds(4));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 6);  // 0.4 token there, 0.6 more needed
  EXPECT_FALSE(limiter.consume("k", rule, t0() + seconds(9)).allowed);
  auto after = limiter.consume("k", rule, t0() + seconds(10));
  EXPECT_TRUE(after.allowed);
  EXPECT_EQ(after.remaining, 0);
  // A long pause fills the bucket only up to its size.
  auto later = limiter.consume("k", rule, t0() + seconds(3600));
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 1);
}

TEST(RateLimiter, KeysHaveSeparateBuckets) {
  MemoryRateLimiter limiter;
  RateRule rule{60, 1};
  EXPECT_TRUE(limiter.consume("chat|user:alice", rule, t0()).allowed);
  EXPECT_FALSE(limiter.consume("chat|user:alice", rule, t0()).allowed);
  EXPECT_TRUE(limiter.consume("chat|user:bob", rule, t0()).allowed);
  EXPECT_TRUE(limiter.consume("default|user:alice", rule, t0()).allowed);
}

TEST(RateLimiter, ClockSteppingBackDoesNotRefillOrDrain) {
  MemoryRateLimiter limiter;
  RateRule rule{60, 2};
  EXPECT_TRUE(limiter.consume("k", rule, t0()).allowed);
  auto d = limiter.consume("k", rule, t0() - seconds(30));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_FALSE(limiter.consume("k", rule, t0() - seconds(30)).allowed);
}

TEST(RateLimiter, IdleFullBucketsAreForgotten) {
  MemoryRateLimiter limiter;
  RateRule rule{6, 5};  // a spent token comes back after ten seconds
  for (int i = 0; i < 200; ++i) limiter.consume("client-" + std::to_string(i), rule, t0());
  EXPECT_EQ(limiter.size(), 200u);
  limiter.evict_idle(t0() + seconds(5));  // not full yet: kept, they still count
  EXPECT_EQ(limiter.size(), 200u);
  limiter.evict_idle(t0() + seconds(10));
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, PeriodicSweepForgetsRefilledBuckets) {
  MemoryRateLimiter limiter(MemoryRateLimiter::Options{100000, seconds(60)});
  RateRule rule{60, 5};
  for (int i = 0; i < 200; ++i) limiter.consume("client-" + std::to_string(i), rule, t0());
  // A minute later every shard that sees a request sweeps its refilled buckets.
  for (int i = 0; i < 2000; ++i)
    limiter.consume("later-" + std::to_string(i % 20), rule, t0() + seconds(61) + seconds(i % 2));
  EXPECT_LT(limiter.size(), 200u);
}

TEST(RateLimiter, MemoryStaysBoundedUnderManyActiveKeys) {
  MemoryRateLimiter limiter(MemoryRateLimiter::Options{320, seconds(3600)});
  RateRule rule{1, 10};  // nothing refills during the test
  for (int i = 0; i < 10000; ++i)
    limiter.consume("ip:" + std::to_string(i), rule, t0() + seconds(i));
  EXPECT_LE(limiter.size(), 320u);
  // The most recently active client still has its (spent) bucket.
  auto recent = std::string("ip:9999");
  for (int i = 0; i < 9; ++i) limiter.consume(recent, rule, t0() + seconds(10000));
  EXPECT_FALSE(limiter.consume(recent, rule, t0() + seconds(10000)).allowed);
}
