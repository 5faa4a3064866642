#pragma once
// Prometheus GET /metrics and Chattr's GET /api/v1/metrics.
#include <functional>
#include <memory>

#include "http/metrics/request_metrics.hpp"
#include "http/metrics/transport_snapshot.hpp"
#include "http/router.hpp"

namespace companion::api {

struct MetricsSources {
  std::shared_ptr<http::metrics::RequestMetrics> requests;
  // Read on every scrape; the transport and the worker pool keep these counts themselves.
  std::function<http::metrics::TransportSnapshot()> transport;
};

void register_metrics_routes(http::Router& router, MetricsSources sources);

}  // namespace companion::api
