#pragma once
// The rate-limit port: a token bucket per key. The in-process backend lives in
// store/memory/; a shared backend (Redis) implements the same interface so that several
// server instances behind a load balancer share one budget per client.
#include <chrono>
#include <cstdint>
#include <string_view>

namespace companion::core {

using WallClock = std::chrono::system_clock;

// A bucket that holds up to `burst` tokens and refills at `per_minute` tokens a minute.
struct RateRule {
  double per_minute = 100;
  double burst = 100;
};

struct RateDecision {
  bool allowed = false;
  std::int64_t limit = 0;                // the bucket size
  std::int64_t remaining = 0;            // whole tokens left after this request
  std::int64_t reset = 0;                // unix seconds when the bucket is full again
  std::int64_t retry_after_seconds = 0;  // when refused: wait this long for one token
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes one token from the bucket of `key` at time `now` when there is one. Keys carry
  // their own rule: callers use the same rule for the same key.
  virtual RateDecision consume(std::string_view key, const RateRule& rule,
                               WallClock::time_point now) = 0;
};

}  // namespace companion::core
