#pragma once
// Deletes expired memories in the background: a thread that wakes every `interval`, asks
// the clock what time it is and lets the service delete what expired by then. Stops (and
// joins) promptly on stop() or destruction. The clock is injectable so that a test can
// move time forward without waiting days.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "core/memory/memory_service.hpp"

namespace companion::core {

class MemoryExpiryJob {
 public:
  using UnixClock = std::function<std::int64_t()>;
  // clock: the service's clock when empty.
  MemoryExpiryJob(std::shared_ptr<MemoryService> service, std::chrono::milliseconds interval,
                  UnixClock clock = {});
  ~MemoryExpiryJob();
  MemoryExpiryJob(const MemoryExpiryJob&) = delete;
  MemoryExpiryJob& operator=(const MemoryExpiryJob&) = delete;

  void start();
  void stop();
  // One sweep now, on the caller's thread; returns how many memories it deleted.
  std::size_t run_once();
  std::uint64_t total_deleted() const;

 private:
  void loop();

  std::shared_ptr<MemoryService> service_;
  std::chrono::milliseconds interval_;
  UnixClock clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t deleted_ = 0;
  std::thread thread_;
};

}  // namespace companion::core
