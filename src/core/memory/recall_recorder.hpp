#pragma once
// Recall bookkeeping off the search path. A search only notes which memories it returned;
// a thread of its own adds the counts, stamps the times and promotes what was recalled
// often enough, many searches' worth in one transaction. It is bookkeeping, not user data:
// a search answers without waiting for a disk write, and a write that fails is dropped
// rather than failing a search.
//
// Notes of the same memory merge while they wait, so the queue is bounded by the number of
// distinct memories; when that bound is reached a search waits for the next batch.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "core/memory/memory_repository.hpp"

namespace companion::core {

class RecallRecorder {
 public:
  using Apply = std::function<void(std::vector<RecallMark>)>;

  RecallRecorder(Apply apply, std::size_t max_pending);
  // Applies what is still pending, then stops the thread.
  ~RecallRecorder();
  RecallRecorder(const RecallRecorder&) = delete;
  RecallRecorder& operator=(const RecallRecorder&) = delete;

  void record(std::int64_t user_id, std::span<const std::int64_t> row_ids, std::int64_t at);
  // Returns once everything recorded before the call has been applied, so that a reader
  // of access counts and tiers sees its own searches.
  void flush();

 private:
  void run();

  Apply apply_;
  std::size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable applied_;
  std::map<std::pair<std::int64_t, std::int64_t>, RecallMark> pending_;
  std::uint64_t recorded_ = 0;  // record() calls so far
  std::uint64_t done_ = 0;      // of them, how many are applied
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace companion::core
