#include <memory>

#include <spdlog/spdlog.h>

#include "app/state.hpp"
#include "app/traffic_setup.hpp"
#include "http/middleware/authentication.hpp"
#include "http/middleware/error_mapping.hpp"
#include "http/middleware/request_id.hpp"

namespace companion::app {

// Order matters: the request id is first so every later unit (and the log) can use it;
// error mapping is last so that it catches what handlers throw.
void install_middleware(Companion::State& s) {
  auto& chain = s.http.middleware();
  chain.add(std::make_shared<http::RequestId>());
  // Traffic order: the access log and the metrics time the whole exchange, so they come
  // right after the request id; CORS answers preflights before authentication (browsers
  // send them without credentials); the rate limit needs the principal that
  // authentication attaches, so it follows it: RequestId, AccessLog, Metrics, CORS,
  // Authentication, RateLimit, ErrorMapping.
  if (auto log = make_access_log(s)) chain.add(std::move(log));
  chain.add(make_request_metrics(s));
  chain.add(make_cors(s));
  chain.add(std::make_shared<http::Authentication>(s.accounts, s.config.auth_mode == "open"));
  chain.add(make_rate_limit(s));
  observe_rejected_requests(s);
  // A 500 tells the client nothing of the cause; the operator's log does.
  chain.add(
      std::make_shared<http::ErrorMapping>([](const http::Request& req, const std::string& what) {
        spdlog::error("internal error on {} {}: {}", http::to_string(req.method), req.path, what);
      }));
}

}  // namespace companion::app
