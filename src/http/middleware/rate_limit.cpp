#include "http/middleware/rate_limit.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "http/error.hpp"
#include "http/route.hpp"

namespace companion::http {

namespace {

void set_limit_headers(Response& res, const core::RateDecision& d) {
  res.headers.set("X-RateLimit-Limit", std::to_string(d.limit));
  res.headers.set("X-RateLimit-Remaining", std::to_string(d.remaining));
  res.headers.set("X-RateLimit-Reset", std::to_string(d.reset));
}

Response too_many_requests(const core::RateDecision& d) {
  auto res = error_response(
      429, fmt::format("Rate limit exceeded. Try again in {} seconds.", d.retry_after_seconds),
      "RATE_LIMIT_EXCEEDED");
  res.headers.set("Retry-After", std::to_string(d.retry_after_seconds));
  set_limit_headers(res, d);
  return res;
}

}  // namespace

RateLimit::RateLimit(std::shared_ptr<core::RateLimiter> limiter, Rules rules, WallClockSource now)
    : limiter_(std::move(limiter)), rules_(std::move(rules)), now_(std::move(now)) {
  for (const auto& [group, rule] : rules_) {
    if (!(rule.per_minute > 0) || !(rule.burst >= 1))
      throw std::invalid_argument("rate limit \"" + group +
                                  "\" needs per_minute > 0 and burst >= 1");
  }
}

const RateLimit::Rules::value_type* RateLimit::rule_for(const Request& req) const {
  if (req.route == nullptr || req.route->rate_group.empty()) return nullptr;
  auto it = rules_.find(req.route->rate_group);
  if (it == rules_.end()) it = rules_.find("default");
  return it == rules_.end() ? nullptr : &*it;
}

// One bucket per client and group: "chat|user:alice", "default|ip:10.0.0.7".
std::string RateLimit::client_key(const Request& req, std::string_view group) {
  std::string key;
  key.reserve(group.size() + 48);
  key.append(group);
  if (req.principal) {
    key.append("|user:").append(req.principal->username);
  } else {
    key.append("|ip:").append(req.remote_ip);
  }
  return key;
}

Response RateLimit::handle(Request& req, const Next& next) {
  const auto* group = rule_for(req);
  if (group == nullptr) return next(req);
  auto decision = limiter_->consume(client_key(req, group->first), group->second, now_());
  if (!decision.allowed) return too_many_requests(decision);
  Response res = next(req);
  set_limit_headers(res, decision);
  return res;
}

}  // namespace companion::http
