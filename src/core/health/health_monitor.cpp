#include "core/health/health_monitor.hpp"

#include <algorithm>

namespace companion::core {

bool HealthSnapshot::all_healthy() const {
  return std::all_of(checks.begin(), checks.end(),
                     [](const CheckOutcome& c) { return c.result.state == HealthState::Healthy; });
}

bool HealthSnapshot::any_unhealthy() const {
  return std::any_of(checks.begin(), checks.end(), [](const CheckOutcome& c) {
    return c.result.state == HealthState::Unhealthy;
  });
}

std::optional<HealthState> HealthSnapshot::state_of(std::string_view name) const {
  for (const auto& c : checks)
    if (c.name == name) return c.result.state;
  return std::nullopt;
}

HealthMonitor::HealthMonitor(std::chrono::milliseconds interval)
    : interval_(std::max(interval, std::chrono::milliseconds(100))) {}

HealthMonitor::~HealthMonitor() {
  stop();
}

void HealthMonitor::start(TaskExecutor& executor) {
  refresh_now();
  std::lock_guard lock(mutex_);
  if (timer_.joinable() || stopping_) return;
  timer_ = std::thread([this, &executor] { timer_loop(executor); });
}

void HealthMonitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (timer_.joinable()) timer_.join();
  // A refresh queued on the pool refers to this object: wait until it has run.
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return !refresh_queued_; });
}

void HealthMonitor::refresh_now() {
  std::lock_guard lock(refresh_mutex_);
  auto snapshot = std::make_shared<HealthSnapshot>();
  snapshot->checks = registry_.run_all();
  snapshot->usage = sampler_.sample();
  snapshot->taken_at = std::chrono::system_clock::now();
  snapshot_.store(std::move(snapshot));
}

void HealthMonitor::timer_loop(TaskExecutor& executor) {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_) break;
    // A refresh still running (a slow check) is not stacked with another one.
    if (refresh_queued_) continue;
    refresh_queued_ = true;
    lock.unlock();
    queue_refresh(executor);
    lock.lock();
  }
}

void HealthMonitor::queue_refresh(TaskExecutor& executor) {
  auto done = [this] {
    {
      std::lock_guard lock(mutex_);
      refresh_queued_ = false;
    }
    wake_.notify_all();
  };
  bool queued = executor.try_post([this, done] {
    refresh_now();
    done();
  });
  // A full pool skips this round; the snapshot simply stays one interval older.
  if (!queued) done();
}

}  // namespace companion::core
