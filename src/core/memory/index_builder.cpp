#include "core/memory/index_builder.hpp"

#include <algorithm>

namespace companion::core {

IndexBuilder::IndexBuilder(Build build) : build_(std::move(build)) {
  thread_ = std::thread([this] { run(); });
}

IndexBuilder::~IndexBuilder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  work_.notify_one();
  thread_.join();
}

void IndexBuilder::schedule(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  if (building_ == user_id || std::find(queue_.begin(), queue_.end(), user_id) != queue_.end())
    return;
  queue_.push_back(user_id);
  work_.notify_one();
}

void IndexBuilder::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return (queue_.empty() && !building_) || stopping_; });
}

void IndexBuilder::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [&] { return !queue_.empty() || stopping_; });
    if (stopping_) break;
    auto user_id = queue_.front();
    queue_.pop_front();
    building_ = user_id;
    lock.unlock();
    try {
      build_(user_id, stopping_);
    } catch (const std::exception&) {
      // Out of memory or disk: the user stays on the exact scan; a later load retries.
    }
    lock.lock();
    building_.reset();
    if (queue_.empty()) idle_.notify_all();
  }
  idle_.notify_all();
}

}  // namespace companion::core
