#include "http/metrics/request_metrics.hpp"

#include <limits>

#include "http/route.hpp"
#include "http/router.hpp"

namespace companion::http::metrics {

namespace {

constexpr std::string_view unmatched_route = "unmatched";
constexpr std::uint64_t count_mask = 0xffffffffu;

std::size_t method_index(Method m) {
  return static_cast<std::size_t>(m);
}

}  // namespace

void StatusCounts::add(int status) {
  for (std::size_t i = 0; i < capacity; ++i) {
    int seen = statuses_[i].load(std::memory_order_acquire);
    if (seen == 0) {
      // Claim the empty slot; when another thread claimed it first, `seen` tells for which.
      if (statuses_[i].compare_exchange_strong(seen, status, std::memory_order_acq_rel))
        seen = status;
    }
    if (seen == status) {
      counts_[i].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  overflow_.fetch_add(1, std::memory_order_relaxed);
}

void LatencyHistogram::observe(std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  std::size_t i = 0;
  while (i < latency_bounds.size() && seconds > latency_bounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  auto ns = duration.count() > 0 ? static_cast<std::uint64_t>(duration.count()) : 0;
  sum_ns_.fetch_add(ns, std::memory_order_relaxed);
}

std::uint32_t MinuteWindow::second_of(Clock::time_point t) const {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(t - origin_).count();
  return static_cast<std::uint32_t>(s < 0 ? 0 : s);
}

void MinuteWindow::add(Clock::time_point now) {
  const std::uint64_t second = second_of(now);
  auto& slot = slots_[second % slots_.size()];
  std::uint64_t seen = slot.load(std::memory_order_relaxed);
  for (;;) {
    const std::uint64_t slot_second = seen >> 32;
    // A slot that already moved on to a later second keeps that second's count.
    if (slot_second > second) return;
    std::uint64_t next = (second << 32) | 1u;
    if (slot_second == second) {
      if ((seen & count_mask) == count_mask) return;  // saturated
      next = seen + 1;
    }
    if (slot.compare_exchange_weak(seen, next, std::memory_order_relaxed)) return;
  }
}

std::uint64_t MinuteWindow::last_minute(Clock::time_point now) const {
  const std::uint64_t current = second_of(now);
  std::uint64_t total = 0;
  for (const auto& slot : slots_) {
    std::uint64_t v = slot.load(std::memory_order_relaxed);
    std::uint64_t second = v >> 32;
    if (second <= current && current - second < slots_.size()) total += v & count_mask;
  }
  return total;
}

RequestMetrics::RequestMetrics(Clock::time_point start) : window_(start) {
  for (Method m : {Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch,
                   Method::Delete, Method::Options}) {
    unmatched_[method_index(m)] =
        std::make_unique<RouteSeries>(std::string(to_string(m)), std::string(unmatched_route));
  }
}

void RequestMetrics::track_routes(const Router& router) {
  for (const auto& route : router.routes()) {
    tracked_.emplace(route.get(), std::make_unique<RouteSeries>(
                                      std::string(to_string(route->method)), route->pattern));
  }
}

RouteSeries& RequestMetrics::series_for(const Request& req) {
  if (req.route == nullptr) return *unmatched_[method_index(req.method)];
  if (auto it = tracked_.find(req.route); it != tracked_.end()) return *it->second;
  std::lock_guard lock(late_mutex_);
  auto& series = late_[req.route];
  if (!series)
    series = std::make_unique<RouteSeries>(std::string(to_string(req.route->method)),
                                           req.route->pattern);
  return *series;
}

void RequestMetrics::record(const Request& req, int status, std::chrono::nanoseconds duration,
                            Clock::time_point now) {
  RouteSeries& series = series_for(req);
  series.statuses.add(status);
  series.latency.observe(duration);
  total_.fetch_add(1, std::memory_order_relaxed);
  if (status >= 500) server_errors_.fetch_add(1, std::memory_order_relaxed);
  if (duration.count() > 0)
    duration_ns_.fetch_add(static_cast<std::uint64_t>(duration.count()), std::memory_order_relaxed);
  window_.add(now);
}

Summary RequestMetrics::summary(Clock::time_point now) const {
  Summary s;
  s.requests_total = total_.load(std::memory_order_relaxed);
  s.requests_last_minute = window_.last_minute(now);
  if (s.requests_total > 0) {
    double total = static_cast<double>(s.requests_total);
    s.average_response_time_ms =
        static_cast<double>(duration_ns_.load(std::memory_order_relaxed)) / 1e6 / total;
    s.error_rate_percent =
        100.0 * static_cast<double>(server_errors_.load(std::memory_order_relaxed)) / total;
  }
  return s;
}

template <class F>
void RequestMetrics::for_each_series(F&& f) const {
  for (const auto& [route, series] : tracked_)
    if (series->latency.count() > 0) f(*series);
  {
    std::lock_guard lock(late_mutex_);
    for (const auto& [route, series] : late_)
      if (series->latency.count() > 0) f(*series);
  }
  for (const auto& series : unmatched_)
    if (series->latency.count() > 0) f(*series);
}

void RequestMetrics::write_prometheus(PrometheusText& out) const {
  out.family("companion_http_requests_total", "counter",
             "HTTP requests answered, by method, route pattern and status.");
  for_each_series([&out](const RouteSeries& s) {
    s.statuses.for_each([&](int status, std::uint64_t count) {
      std::string code = status == 0 ? std::string("other") : std::to_string(status);
      out.sample("companion_http_requests_total",
                 {{"method", s.method}, {"route", s.route}, {"status", code}}, count);
    });
  });

  out.family("companion_http_request_duration_seconds", "histogram",
             "Time from a request's arrival to its answer, by method and route pattern.");
  for_each_series([&out](const RouteSeries& s) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= latency_bounds.size(); ++i) {
      cumulative += s.latency.bucket(i);
      double bound =
          i < latency_bounds.size() ? latency_bounds[i] : std::numeric_limits<double>::infinity();
      std::string le = bound_label(bound);
      out.sample("companion_http_request_duration_seconds_bucket",
                 {{"method", s.method}, {"route", s.route}, {"le", le}}, cumulative);
    }
    out.sample("companion_http_request_duration_seconds_sum",
               {{"method", s.method}, {"route", s.route}},
               static_cast<double>(s.latency.sum_nanoseconds()) / 1e9);
    out.sample("companion_http_request_duration_seconds_count",
               {{"method", s.method}, {"route", s.route}}, cumulative);
  });

  out.family("companion_http_requests_in_flight", "gauge", "Requests being handled right now.");
  out.sample("companion_http_requests_in_flight",
             static_cast<double>(in_flight_.load(std::memory_order_relaxed)));
}

}  // namespace companion::http::metrics
