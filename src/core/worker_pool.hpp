#pragma once
// A fixed set of threads draining a bounded queue of tasks.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/executor.hpp"

namespace companion::core {

class WorkerPool final : public TaskExecutor {
 public:
  WorkerPool(std::size_t threads, std::size_t queue_limit);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool try_post(std::function<void()> task) override;
  // Runs what is queued, then joins the threads. Later posts are refused.
  void shutdown();

  std::size_t queued() const;
  std::size_t thread_count() const { return threads_.size(); }

 private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::size_t queue_limit_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace companion::core
