#pragma once
// Counts every request that reaches the chain in the request metrics: its route pattern,
// status and the time since it arrived (which includes any wait for a worker).
#include <memory>

#include "http/metrics/request_metrics.hpp"
#include "http/middleware.hpp"

namespace companion::http {

class RecordMetrics final : public Middleware {
 public:
  explicit RecordMetrics(std::shared_ptr<metrics::RequestMetrics> metrics)
      : metrics_(std::move(metrics)) {}
  Response handle(Request& req, const Next& next) override;

 private:
  std::shared_ptr<metrics::RequestMetrics> metrics_;
};

}  // namespace companion::http
