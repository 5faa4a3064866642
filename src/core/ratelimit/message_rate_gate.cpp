#include "core/ratelimit/message_rate_gate.hpp"

#include <algorithm>

namespace companion::core {

MessageRateGate::MessageRateGate(double per_second, Clock::time_point now)
    : per_second_(per_second), tokens_(std::max(1.0, per_second)), updated_(now) {}

bool MessageRateGate::allow(Clock::time_point now) {
  // A rate of zero or less means the gate is off.
  if (per_second_ <= 0) return true;
  const double capacity = std::max(1.0, per_second_);
  if (now > updated_) {
    double elapsed = std::chrono::duration<double>(now - updated_).count();
    tokens_ = std::min(capacity, tokens_ + elapsed * per_second_);
    updated_ = now;
  }
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  ++dropped_;
  return false;
}

}  // namespace companion::core
