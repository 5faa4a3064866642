#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace companion::net {

// Transport limits. Defaults are documented in the README.
struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  std::size_t io_threads = 0;  // 0: one per core
  std::size_t max_connections = 10000;
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds header_timeout{30};  // idle keep-alive wait + reading one head
  std::chrono::seconds body_timeout{120};   // reading one body
  std::chrono::seconds write_timeout{60};
  std::chrono::seconds websocket_idle_timeout{60};  // pings keep a live peer open
  std::chrono::seconds sse_heartbeat{15};
  std::size_t stream_queue_limit = 4096;  // queued SSE events / WebSocket frames per client
  std::chrono::seconds shutdown_deadline{10};
};

}  // namespace companion::net
