#pragma once
// Builds users' vector graphs on a thread of its own, one user at a time, so the search or
// save that finds a user past the graph threshold never waits for the build (a few seconds
// per ten thousand vectors); searches stay exact until the graph is swapped in.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace companion::core {

class IndexBuilder {
 public:
  // build(user, stopping): builds and installs the user's graph; gives up when `stopping`
  // turns true (the owner is shutting down).
  using Build = std::function<void(std::int64_t user_id, const std::atomic<bool>& stopping)>;

  explicit IndexBuilder(Build build);
  // Stops the running build and drops the queued ones.
  ~IndexBuilder();
  IndexBuilder(const IndexBuilder&) = delete;
  IndexBuilder& operator=(const IndexBuilder&) = delete;

  // Queues the user unless already queued or being built.
  void schedule(std::int64_t user_id);
  // Returns once nothing is queued or being built.
  void wait_idle();

 private:
  void run();

  Build build_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable idle_;
  std::deque<std::int64_t> queue_;
  std::optional<std::int64_t> building_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace companion::core
