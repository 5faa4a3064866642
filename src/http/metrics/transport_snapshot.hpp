#pragma once
// Gauges the transport and the worker pool count for themselves, read when metrics are
// asked for. The composition root fills this from net::ServerStats and the worker pool so
// that the metrics code needs neither.
#include <cstdint>

namespace companion::http::metrics {

struct TransportSnapshot {
  std::int64_t active_connections = 0;
  std::int64_t total_connections = 0;
  std::int64_t refused_connections = 0;
  std::int64_t active_websockets = 0;
  std::int64_t total_websockets = 0;
  std::int64_t active_event_streams = 0;
  std::int64_t worker_queue_depth = 0;
  std::int64_t worker_threads = 0;
};

}  // namespace companion::http::metrics
