#pragma once
// One JSON line per request: time, request id, method, path, route pattern, status,
// duration, response bytes, principal and client address. Lines go through an asynchronous
// logger with a bounded queue that drops the oldest line when full, so a slow log
// destination never holds up a network thread.
#include <chrono>
#include <cstddef>
#include <memory>

#include <spdlog/common.h>

#include "http/middleware.hpp"

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace companion::http {

class AccessLog final : public Middleware {
 public:
  // Writes to `sink` from a thread of its own; lines still queued are written when the
  // AccessLog is destroyed.
  explicit AccessLog(spdlog::sink_ptr sink, std::size_t queue_lines = 8192);
  ~AccessLog() override;

  Response handle(Request& req, const Next& next) override;
  // Logs one answered request; also used for requests the transport refused.
  void log(const Request& req, int status, std::size_t response_bytes);

 private:
  // Declared before the logger: destroyed after it, once queued lines are written.
  std::shared_ptr<spdlog::details::thread_pool> pool_;
  std::shared_ptr<spdlog::logger> logger_;
};

// Bytes of the body the response carries (a streamed file counts its slice; event streams
// and WebSockets count 0 here since their size is not known when they start).
std::size_t response_bytes(const Response& res);

}  // namespace companion::http
