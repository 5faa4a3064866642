#include "core/ratelimit/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace companion::core {

namespace {

double refill_per_second(const RateRule& rule) {
  return rule.per_minute / 60.0;
}

std::int64_t unix_seconds(WallClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Seconds (rounded up) until the bucket holds `wanted` tokens; never less than `floor`.
std::int64_t seconds_until(double tokens, double wanted, const RateRule& rule, std::int64_t floor) {
  double missing = wanted - tokens;
  if (missing <= 0) return floor;
  double rate = refill_per_second(rule);
  if (rate <= 0) return std::max<std::int64_t>(floor, 24 * 3600);  // never refills
  return std::max(floor, static_cast<std::int64_t>(std::ceil(missing / rate)));
}

}  // namespace

double TokenBucket::tokens_at(const RateRule& rule, WallClock::time_point now) const {
  // A clock that stepped back refills nothing rather than draining the bucket.
  double elapsed = std::max(0.0, std::chrono::duration<double>(now - updated).count());
  return std::min(rule.burst, tokens + elapsed * refill_per_second(rule));
}

RateDecision TokenBucket::consume(const RateRule& rule, WallClock::time_point now) {
  tokens = tokens_at(rule, now);
  if (now > updated) updated = now;
  RateDecision d;
  d.limit = static_cast<std::int64_t>(rule.burst);
  d.allowed = tokens >= 1.0;
  if (d.allowed) tokens -= 1.0;
  d.remaining = static_cast<std::int64_t>(std::floor(tokens));
  d.reset = unix_seconds(now) + seconds_until(tokens, rule.burst, rule, 0);
  if (!d.allowed) d.retry_after_seconds = seconds_until(tokens, 1.0, rule, 1);
  return d;
}

}  // namespace companion::core
