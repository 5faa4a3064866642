#include "core/memory/recall_recorder.hpp"

#include <algorithm>

namespace companion::core {

RecallRecorder::RecallRecorder(Apply apply, std::size_t max_pending)
    : apply_(std::move(apply)), max_pending_(std::max<std::size_t>(max_pending, 1)) {
  thread_ = std::thread([this] { run(); });
}

RecallRecorder::~RecallRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();
}

void RecallRecorder::record(std::int64_t user_id, std::span<const std::int64_t> row_ids,
                            std::int64_t at) {
  if (row_ids.empty()) return;
  std::unique_lock lock(mutex_);
  applied_.wait(lock, [&] { return pending_.size() < max_pending_ || stopping_; });
  for (auto row_id : row_ids) {
    auto [it, added] = pending_.try_emplace({user_id, row_id}, RecallMark{user_id, row_id, 0, at});
    ++it->second.times;
    it->second.at = std::max(it->second.at, at);
  }
  ++recorded_;
  work_.notify_one();
}

void RecallRecorder::flush() {
  std::unique_lock lock(mutex_);
  auto target = recorded_;
  applied_.wait(lock, [&] { return done_ >= target; });
}

void RecallRecorder::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [&] { return !pending_.empty() || stopping_; });
    if (pending_.empty()) return;  // stopping with nothing left
    std::vector<RecallMark> batch;
    batch.reserve(pending_.size());
    for (auto& [key, mark] : pending_) batch.push_back(mark);
    pending_.clear();
    auto upto = recorded_;
    lock.unlock();
    try {
      apply_(std::move(batch));
    } catch (const std::exception&) {
      // A busy or full disk: these counts are lost, the memories themselves are not.
    }
    lock.lock();
    done_ = upto;
    applied_.notify_all();
  }
}

}  // namespace companion::core
