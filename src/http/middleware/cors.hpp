#pragma once
// Cross-origin resource sharing. A request without an Origin header is none of this unit's
// business. For an allowed origin, preflights (OPTIONS with Access-Control-Request-Method)
// are answered here with 204 for any path that exists, whatever methods it has; other
// requests get Access-Control-Allow-Origin on their answer. A disallowed origin gets no
// CORS headers, and its preflight a 403.
//
// Allow-all mode (CORS_ALLOW_ALL_ORIGINS) answers "*" without credentials: echoing every
// origin with credentials would let any web page act with a visitor's cookie. Origins named
// in the allow-list are echoed with Allow-Credentials, so cookie clients work from them.
#include <chrono>
#include <string>
#include <vector>

#include "http/middleware.hpp"

namespace companion::http {

struct CorsPolicy {
  bool allow_all = false;
  std::vector<std::string> allowed_origins;  // exact "scheme://host[:port]"
  std::chrono::seconds max_age{600};
};

class Cors final : public Middleware {
 public:
  explicit Cors(CorsPolicy policy);
  Response handle(Request& req, const Next& next) override;

 private:
  bool is_listed(std::string_view origin) const;
  bool is_allowed(std::string_view origin) const { return policy_.allow_all || is_listed(origin); }
  Response preflight(const Request& req, std::string_view origin) const;
  void allow_origin(Response& res, std::string_view origin) const;

  CorsPolicy policy_;
  std::string max_age_;
};

}  // namespace companion::http
