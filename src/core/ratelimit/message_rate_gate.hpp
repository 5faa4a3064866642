#pragma once
// Drops inbound messages of one connection above a rate (AI Coach: "up to 20 Hz, excess
// dropped"). A token bucket holding one second's worth of messages: a short burst passes,
// a sustained flood is thinned to the rate. One connection's callbacks run one at a time,
// so the gate is not synchronised.
#include <chrono>
#include <cstdint>

namespace companion::core {

class MessageRateGate {
 public:
  using Clock = std::chrono::steady_clock;

  explicit MessageRateGate(double per_second, Clock::time_point now = Clock::now());

  // True when the message may be handled; false when it is to be dropped.
  bool allow(Clock::time_point now = Clock::now());
  std::uint64_t dropped() const { return dropped_; }
  double per_second() const { return per_second_; }

 private:
  double per_second_;
  double tokens_;
  Clock::time_point updated_;
  std::uint64_t dropped_ = 0;
};

}  // namespace companion::core
