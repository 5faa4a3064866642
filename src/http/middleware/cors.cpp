#include "http/middleware/cors.hpp"

#include <algorithm>

#include "http/error.hpp"
#include "http/route.hpp"

namespace companion::http {

namespace {

// Headers a browser script may read from our answers beyond the safelisted ones.
constexpr std::string_view exposed_headers =
    "X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After";

// Request headers our clients send: every documented credential form, JSON, SSE resume.
constexpr std::string_view default_allowed_headers =
    "Accept, Authorization, Cache-Control, Content-Type, Last-Event-ID, X-API-Key, "
    "X-Request-ID";

bool is_preflight(const Request& req) {
  return req.method == Method::Options && req.headers.has("Access-Control-Request-Method");
}

bool path_exists(const Request& req) {
  return req.route != nullptr || !req.allowed_methods.empty();
}

// The methods of the requested path: the matched route's (an explicit OPTIONS route) and
// those the router reported for the path, plus OPTIONS, which this unit always answers.
std::string methods_of_path(const Request& req) {
  std::vector<Method> methods = req.allowed_methods;
  if (req.route) methods.push_back(req.route->method);
  methods.push_back(Method::Options);
  std::sort(methods.begin(), methods.end());
  methods.erase(std::unique(methods.begin(), methods.end()), methods.end());
  std::string out;
  for (Method m : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

// Echoing the requested header names is safe once the origin is trusted, provided they are
// well-formed names; anything else falls back to the default list.
std::string_view allowed_headers(const Request& req) {
  auto requested = req.headers.get("Access-Control-Request-Headers");
  if (!requested || requested->empty() || requested->size() > 1024) return default_allowed_headers;
  for (char c : *requested) {
    bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ',' || c == ' ';
    if (!ok) return default_allowed_headers;
  }
  return *requested;
}

}  // namespace

Cors::Cors(CorsPolicy policy)
    : policy_(std::move(policy)), max_age_(std::to_string(policy_.max_age.count())) {}

bool Cors::is_listed(std::string_view origin) const {
  return std::find(policy_.allowed_origins.begin(), policy_.allowed_origins.end(), origin) !=
         policy_.allowed_origins.end();
}

void Cors::allow_origin(Response& res, std::string_view origin) const {
  if (is_listed(origin)) {
    res.headers.set("Access-Control-Allow-Origin", origin);
    res.headers.set("Access-Control-Allow-Credentials", "true");
  } else {
    res.headers.set("Access-Control-Allow-Origin", "*");
  }
  // The answer differs between origins, so caches must key it by Origin.
  res.headers.add("Vary", "Origin");
}

Response Cors::preflight(const Request& req, std::string_view origin) const {
  if (!is_allowed(origin)) return error_response(403, "Origin not allowed");
  Response res;
  res.status = 204;
  allow_origin(res, origin);
  res.headers.set("Access-Control-Allow-Methods", methods_of_path(req));
  res.headers.set("Access-Control-Allow-Headers", allowed_headers(req));
  res.headers.set("Access-Control-Max-Age", max_age_);
  res.headers.set("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
  return res;
}

Response Cors::handle(Request& req, const Next& next) {
  auto sent = req.headers.get("Origin");
  if (!sent) return next(req);
  std::string origin(*sent);  // the request may be changed by the units after this one
  if (is_preflight(req) && path_exists(req)) return preflight(req, origin);
  Response res = next(req);
  if (is_allowed(origin)) {
    allow_origin(res, origin);
    res.headers.set("Access-Control-Expose-Headers", exposed_headers);
  }
  return res;
}

}  // namespace companion::http
