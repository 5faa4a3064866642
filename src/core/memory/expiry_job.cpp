#include "core/memory/expiry_job.hpp"

namespace companion::core {

MemoryExpiryJob::MemoryExpiryJob(std::shared_ptr<MemoryService> service,
                                 std::chrono::milliseconds interval, UnixClock clock)
    : service_(std::move(service)), interval_(interval), clock_(std::move(clock)) {
  if (!clock_) {
    auto* s = service_.get();
    clock_ = [s] { return s->now(); };
  }
}

MemoryExpiryJob::~MemoryExpiryJob() {
  stop();
}

void MemoryExpiryJob::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void MemoryExpiryJob::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t MemoryExpiryJob::run_once() {
  auto n = service_->expire(clock_());
  std::lock_guard lock(mutex_);
  deleted_ += n;
  return n;
}

std::uint64_t MemoryExpiryJob::total_deleted() const {
  std::lock_guard lock(mutex_);
  return deleted_;
}

void MemoryExpiryJob::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      run_once();
    } catch (const std::exception&) {
      // A failed sweep (a busy or full disk) is retried at the next tick.
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace companion::core
