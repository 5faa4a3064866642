#pragma once
// The arithmetic of one token bucket, shared by every backend so that they agree on what
// "remaining", "reset" and "retry after" mean.
#include "core/ratelimit/rate_limiter.hpp"

namespace companion::core {

struct TokenBucket {
  double tokens = 0;
  WallClock::time_point updated;

  // A new bucket starts full.
  static TokenBucket full(const RateRule& rule, WallClock::time_point now) {
    return {rule.burst, now};
  }
  // Tokens at `now` without changing the bucket.
  double tokens_at(const RateRule& rule, WallClock::time_point now) const;
  bool is_full_at(const RateRule& rule, WallClock::time_point now) const {
    return tokens_at(rule, now) >= rule.burst;
  }
  // Refills up to `now`, then takes one token when there is a whole one.
  RateDecision consume(const RateRule& rule, WallClock::time_point now);
};

}  // namespace companion::core
