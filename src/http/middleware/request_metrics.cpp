#include "http/middleware/request_metrics.hpp"

namespace companion::http {

Response RecordMetrics::handle(Request& req, const Next& next) {
  struct InFlight {
    metrics::RequestMetrics& m;
    explicit InFlight(metrics::RequestMetrics& m) : m(m) { m.begin_request(); }
    ~InFlight() { m.end_request(); }
  } in_flight(*metrics_);
  try {
    Response res = next(req);
    auto now = Clock::now();
    metrics_->record(req, res.status, now - req.received_at, now);
    return res;
  } catch (...) {
    // Nothing should escape error mapping, but if it does the transport answers 500.
    auto now = Clock::now();
    metrics_->record(req, 500, now - req.received_at, now);
    throw;
  }
}

}  // namespace companion::http
