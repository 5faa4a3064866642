#pragma once
// AI Friend's administrator view: GET /stats.
#include <chrono>
#include <memory>

#include "core/health/health_monitor.hpp"
#include "core/sessions/session_registry.hpp"
#include "core/system/store_statistics.hpp"
#include "http/metrics/request_metrics.hpp"
#include "http/router.hpp"

namespace companion::api {

struct StatsSources {
  std::shared_ptr<core::StoreStatistics> store;
  std::shared_ptr<core::SessionRegistry> sessions;
  std::shared_ptr<http::metrics::RequestMetrics> metrics;
  const core::HealthMonitor* health = nullptr;  // process CPU and memory, sampled
  // A session counts as active while a socket is open or it was used this recently.
  std::chrono::minutes active_window{30};
};

void register_stats_routes(http::Router& router, StatsSources sources);

}  // namespace companion::api
