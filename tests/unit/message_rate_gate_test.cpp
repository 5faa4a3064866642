// The per-connection inbound message gate (AI Coach: up to 20 Hz, excess dropped).
#include <gtest/gtest.h>

#include "core/ratelimit/message_rate_gate.hpp"

using companion::core::MessageRateGate;
using std::chrono::milliseconds;

TEST(MessageRateGate, PassesABurstOfOneSecondThenDrops) {
  auto t = MessageRateGate::Clock::time_point{} + std::chrono::hours(1);
  MessageRateGate gate(20, t);
  int passed = 0;
  for (int i = 0; i < 50; ++i) passed += gate.allow(t) ? 1 : 0;
  EXPECT_EQ(passed, 20);
  EXPECT_EQ(gate.dropped(), 30u);
}

TEST(MessageRateGate, SustainedFloodIsThinnedToTheRate) {
  auto t = MessageRateGate::Clock::time_point{} + std::chrono::hours(1);
  MessageRateGate gate(20, t);
  for (int i = 0; i < 20; ++i) gate.allow(t);  // spend the burst
  // 100 messages a second for 10 seconds: 20 a second pass.
  int passed = 0;
  for (int i = 1; i <= 1000; ++i) passed += gate.allow(t + milliseconds(10 * i)) ? 1 : 0;
  EXPECT_EQ(passed, 200);
}

TEST(MessageRateGate, MessagesAtTheRateAllPass) {
  auto t = MessageRateGate::Clock::time_point{} + std::chrono::hours(1);
  MessageRateGate gate(20, t);
  for (int i = 1; i <= 200; ++i) EXPECT_TRUE(gate.allow(t + milliseconds(50 * i)));
  EXPECT_EQ(gate.dropped(), 0u);
}

TEST(MessageRateGate, ZeroRateMeansNoLimit) {
  MessageRateGate gate(0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(gate.allow());
}
