#pragma once
// Per-client rate limits by route group. A route names its group (route.rate_group; empty:
// not limited; a group without a rule falls back to "default"). The client is the
// authenticated principal, or the remote address when anonymous, so this unit runs after
// authentication. Every answer of a limited route carries X-RateLimit-Limit/-Remaining/
// -Reset; a spent budget answers 429 with Retry-After before the handler runs.
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/ratelimit/rate_limiter.hpp"
#include "http/middleware.hpp"

namespace companion::http {

class RateLimit final : public Middleware {
 public:
  using Rules = std::map<std::string, core::RateRule, std::less<>>;
  using WallClockSource = std::function<core::WallClock::time_point()>;

  // Throws std::invalid_argument for a rule that could never admit a request.
  RateLimit(std::shared_ptr<core::RateLimiter> limiter, Rules rules,
            WallClockSource now = core::WallClock::now);
  Response handle(Request& req, const Next& next) override;

 private:
  // The group's name and rule, or null when the request is not limited.
  const Rules::value_type* rule_for(const Request& req) const;
  static std::string client_key(const Request& req, std::string_view group);

  std::shared_ptr<core::RateLimiter> limiter_;
  Rules rules_;
  WallClockSource now_;
};

}  // namespace companion::http
