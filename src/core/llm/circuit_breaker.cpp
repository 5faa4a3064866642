#include "core/llm/circuit_breaker.hpp"

namespace companion::core {

std::string_view to_string(CircuitState state) {
  switch (state) {
    case CircuitState::closed:
      return "closed";
    case CircuitState::open:
      return "open";
    case CircuitState::half_open:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {}

bool CircuitBreaker::allow() {
  std::lock_guard lock(mutex_);
  if (state_ == CircuitState::open) {
    if (clock_() - opened_at_ < options_.cooldown) return false;
    state_ = CircuitState::half_open;
  }
  if (state_ == CircuitState::half_open) {
    // One probe at a time: a provider that just recovered should not meet a stampede.
    if (probe_in_flight_) return false;
    probe_in_flight_ = true;
  }
  return true;
}

void CircuitBreaker::record_success() {
  std::lock_guard lock(mutex_);
  state_ = CircuitState::closed;
  consecutive_failures_ = 0;
  probe_in_flight_ = false;
}

void CircuitBreaker::record_failure() {
  std::lock_guard lock(mutex_);
  ++consecutive_failures_;
  if (state_ == CircuitState::half_open || consecutive_failures_ >= options_.failure_threshold)
    open_now();
}

void CircuitBreaker::release() {
  std::lock_guard lock(mutex_);
  probe_in_flight_ = false;
}

CircuitState CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  // An open circuit whose cooldown has passed lets the next call probe: report that.
  if (state_ == CircuitState::open && clock_() - opened_at_ >= options_.cooldown)
    return CircuitState::half_open;
  return state_;
}

int CircuitBreaker::consecutive_failures() const {
  std::lock_guard lock(mutex_);
  return consecutive_failures_;
}

void CircuitBreaker::open_now() {
  state_ = CircuitState::open;
  opened_at_ = clock_();
  probe_in_flight_ = false;
}

}  // namespace companion::core
