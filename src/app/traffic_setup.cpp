#include "app/traffic_setup.hpp"

#include "api/metrics_routes.hpp"
#include "app/logging.hpp"
#include "http/middleware/access_log.hpp"
#include "http/middleware/cors.hpp"
#include "http/middleware/rate_limit.hpp"
#include "http/middleware/request_metrics.hpp"
#include "store/memory/memory_rate_limiter.hpp"

namespace companion::app {

std::shared_ptr<http::Middleware> make_access_log(Companion::State& s) {
  if (!s.config.access_log) return nullptr;
  s.access_log = std::make_shared<http::AccessLog>(access_log_sink());
  return s.access_log;
}

std::shared_ptr<http::Middleware> make_request_metrics(Companion::State& s) {
  return std::make_shared<http::RecordMetrics>(s.metrics);
}

std::shared_ptr<http::Middleware> make_cors(const Companion::State& s) {
  http::CorsPolicy policy;
  policy.allow_all = s.config.cors_allow_all;
  policy.allowed_origins = s.config.cors_allowed_origins;
  return std::make_shared<http::Cors>(std::move(policy));
}

std::shared_ptr<http::Middleware> make_rate_limit(Companion::State& s) {
  if (!s.rate_limiter) s.rate_limiter = std::make_shared<store::MemoryRateLimiter>();
  http::RateLimit::Rules rules;
  for (const auto& [group, rule] : s.config.rate_limits)
    rules.emplace(group, core::RateRule{rule.per_minute, rule.burst});
  return std::make_shared<http::RateLimit>(s.rate_limiter, std::move(rules));
}

void observe_rejected_requests(Companion::State& s) {
  s.http.set_rejection_observer([&s](const http::Request& req, int status) {
    auto now = http::Clock::now();
    s.metrics->record(req, status, now - req.received_at, now);
    if (s.access_log) s.access_log->log(req, status, 0);
  });
}

void register_metrics(Companion::State& s) {
  api::MetricsSources sources;
  sources.requests = s.metrics;
  sources.transport = [&s] {
    http::metrics::TransportSnapshot t;
    if (s.server) {
      const auto& stats = s.server->stats();
      t.active_connections = stats.active_connections.load(std::memory_order_relaxed);
      t.total_connections = stats.total_connections.load(std::memory_order_relaxed);
      t.refused_connections = stats.refused_connections.load(std::memory_order_relaxed);
      t.active_websockets = stats.active_websockets.load(std::memory_order_relaxed);
      t.total_websockets = stats.total_websockets.load(std::memory_order_relaxed);
      t.active_event_streams = stats.active_event_streams.load(std::memory_order_relaxed);
    }
    if (s.workers) {
      t.worker_queue_depth = static_cast<std::int64_t>(s.workers->queued());
      t.worker_threads = static_cast<std::int64_t>(s.workers->thread_count());
    }
    return t;
  };
  api::register_metrics_routes(s.http.router(), std::move(sources));
}

}  // namespace companion::app
