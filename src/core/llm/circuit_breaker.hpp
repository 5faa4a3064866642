#pragma once
// Stops calling a provider that keeps failing: after N consecutive failures the circuit
// opens and calls fail at once for a cooldown, sparing users a wait for a server that is
// down; then one probe call is let through (half-open), and its outcome closes the circuit
// or opens it for another cooldown.
#include <chrono>
#include <functional>
#include <mutex>
#include <string_view>

namespace companion::core {

struct CircuitBreakerOptions {
  int failure_threshold = 5;
  std::chrono::milliseconds cooldown{30'000};
};

enum class CircuitState { closed, open, half_open };
std::string_view to_string(CircuitState state);

class CircuitBreaker {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit CircuitBreaker(
      CircuitBreakerOptions options = {},
      Clock clock = [] { return std::chrono::steady_clock::now(); });

  // Whether a call may go ahead now. Each permitted call must end in exactly one of
  // record_success(), record_failure() or release(). Thread-safe, like all members.
  bool allow();
  void record_success();
  void record_failure();
  // The call ended in a way that says nothing about the provider's health (cancelled by the
  // user): a probe's turn passes to the next caller.
  void release();

  CircuitState state() const;
  int consecutive_failures() const;

 private:
  void open_now();

  const CircuitBreakerOptions options_;
  const Clock clock_;
  mutable std::mutex mutex_;
  CircuitState state_ = CircuitState::closed;
  int consecutive_failures_ = 0;
  std::chrono::steady_clock::time_point opened_at_{};
  bool probe_in_flight_ = false;
};

}  // namespace companion::core
