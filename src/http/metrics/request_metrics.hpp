#pragma once
// Request counters for the whole server: per route pattern and method (never the raw path,
// so the number of series stays bounded), by status, with a latency histogram; plus the
// figures of Chattr's /api/v1/metrics. Updated on every request from every network and
// worker thread, so the hot path is atomics only: the route → series index is built once
// before the server starts and only read afterwards.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/metrics/prometheus_text.hpp"
#include "http/request.hpp"

namespace companion::http {
class Router;
}

namespace companion::http::metrics {

// Upper bounds in seconds, from a tenth of a millisecond (an answer from memory) to ten
// seconds (a long model call); Prometheus adds +Inf.
inline constexpr std::array<double, 16> latency_bounds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0,  10.0};

// Counts per status code in a small lock-free table: a route answers with few distinct
// statuses, and a slot is claimed once with a compare-and-swap.
class StatusCounts {
 public:
  static constexpr std::size_t capacity = 24;
  void add(int status);
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < capacity; ++i) {
      int status = statuses_[i].load(std::memory_order_acquire);
      if (status != 0) f(status, counts_[i].load(std::memory_order_relaxed));
    }
    if (auto n = overflow_.load(std::memory_order_relaxed)) f(0, n);
  }

 private:
  std::array<std::atomic<int>, capacity> statuses_{};
  std::array<std::atomic<std::uint64_t>, capacity> counts_{};
  std::atomic<std::uint64_t> overflow_{0};  // statuses beyond capacity
};

class LatencyHistogram {
 public:
  void observe(std::chrono::nanoseconds duration);
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  std::uint64_t sum_nanoseconds() const { return sum_ns_.load(std::memory_order_relaxed); }
  // Non-cumulative count of the bucket at `index` (latency_bounds.size() is +Inf).
  std::uint64_t bucket(std::size_t index) const {
    return buckets_[index].load(std::memory_order_relaxed);
  }

 private:
  std::array<std::atomic<std::uint64_t>, latency_bounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

struct RouteSeries {
  RouteSeries(std::string method, std::string route)
      : method(std::move(method)), route(std::move(route)) {}
  const std::string method;
  const std::string route;
  StatusCounts statuses;
  LatencyHistogram latency;
};

// Requests per second over the last minute, in a ring of per-second slots. Each slot packs
// (second, count) into one word so that moving to a new second and counting are a single
// compare-and-swap: no lock and no lost counts.
class MinuteWindow {
 public:
  explicit MinuteWindow(Clock::time_point origin) : origin_(origin) {}
  void add(Clock::time_point now);
  // Requests in the 60 seconds up to `now` (the current second included).
  std::uint64_t last_minute(Clock::time_point now) const;

 private:
  std::uint32_t second_of(Clock::time_point t) const;
  Clock::time_point origin_;
  std::array<std::atomic<std::uint64_t>, 60> slots_{};
};

struct Summary {
  std::uint64_t requests_total = 0;
  std::uint64_t requests_last_minute = 0;
  double average_response_time_ms = 0;
  double error_rate_percent = 0;  // share of 5xx answers
};

class RequestMetrics {
 public:
  explicit RequestMetrics(Clock::time_point start = Clock::now());
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  // Creates one series per route. Call once, after the routes are registered and before the
  // server starts; a route added later is still counted, through a slower locked path.
  void track_routes(const Router& router);

  void record(const Request& req, int status, std::chrono::nanoseconds duration,
              Clock::time_point now = Clock::now());
  void begin_request() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void end_request() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  Summary summary(Clock::time_point now = Clock::now()) const;
  void write_prometheus(PrometheusText& out) const;

 private:
  RouteSeries& series_for(const Request& req);
  template <class F>
  void for_each_series(F&& f) const;

  std::unordered_map<const Route*, std::unique_ptr<RouteSeries>> tracked_;
  mutable std::mutex late_mutex_;
  std::map<const Route*, std::unique_ptr<RouteSeries>> late_;
  // Requests that matched no route, one series per method.
  std::array<std::unique_ptr<RouteSeries>, 7> unmatched_;

  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> server_errors_{0};
  std::atomic<std::uint64_t> duration_ns_{0};
  std::atomic<std::int64_t> in_flight_{0};
  MinuteWindow window_;
};

}  // namespace companion::http::metrics
