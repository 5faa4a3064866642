#pragma once
// The traffic units of the middleware chain (access log, request metrics, CORS, rate
// limits) and the metrics routes, built from the Config. app/middleware_setup.cpp decides
// their order; this file only builds them.
#include <memory>

#include "app/state.hpp"
#include "http/middleware.hpp"

namespace companion::app {

// Null when the access log is off.
std::shared_ptr<http::Middleware> make_access_log(Companion::State& s);
std::shared_ptr<http::Middleware> make_request_metrics(Companion::State& s);
std::shared_ptr<http::Middleware> make_cors(const Companion::State& s);
std::shared_ptr<http::Middleware> make_rate_limit(Companion::State& s);
// Counts and logs the requests the transport refuses before they reach the chain.
void observe_rejected_requests(Companion::State& s);
// Prometheus /metrics and Chattr's /api/v1/metrics.
void register_metrics(Companion::State& s);

}  // namespace companion::app
