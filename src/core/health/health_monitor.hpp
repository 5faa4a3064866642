#pragma once
// Keeps a fresh snapshot of every health check and of the process's resource use, so that
// health endpoints answer from memory without blocking. A timer thread queues one refresh
// on the worker pool every interval (never two at once); start() runs the first round on
// the caller's thread so the very first answer is already measured.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/executor.hpp"
#include "core/health/health_registry.hpp"
#include "core/health/process_sampler.hpp"

namespace companion::core {

struct HealthSnapshot {
  std::vector<CheckOutcome> checks;
  ProcessUsage usage;
  std::chrono::system_clock::time_point taken_at;

  bool all_healthy() const;
  bool any_unhealthy() const;
  // The outcome of one check; nullopt when no check of that name is registered.
  std::optional<HealthState> state_of(std::string_view name) const;
};

class HealthMonitor {
 public:
  explicit HealthMonitor(std::chrono::milliseconds interval = std::chrono::seconds(5));
  ~HealthMonitor();
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;

  // Checks are best registered before start(), so the first answer already covers them.
  HealthRegistry& registry() { return registry_; }

  void start(TaskExecutor& executor);
  // Stops the timer and waits for a refresh that is running; idempotent.
  void stop();

  // Runs every check and samples the process now, on the calling thread.
  void refresh_now();
  // The latest snapshot; null before the first refresh. Lock-free for readers.
  std::shared_ptr<const HealthSnapshot> snapshot() const { return snapshot_.load(); }
  std::chrono::milliseconds interval() const { return interval_; }

 private:
  void timer_loop(TaskExecutor& executor);
  void queue_refresh(TaskExecutor& executor);

  HealthRegistry registry_;
  ProcessSampler sampler_;
  std::mutex refresh_mutex_;  // one refresh at a time (the sampler keeps state)
  std::chrono::milliseconds interval_;
  std::atomic<std::shared_ptr<const HealthSnapshot>> snapshot_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool refresh_queued_ = false;
  std::thread timer_;
};

}  // namespace companion::core
