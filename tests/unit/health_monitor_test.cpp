// The health monitor: checks run off the request path, results and resource use are kept.
#include "core/health/health_monitor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "core/worker_pool.hpp"

using namespace companion::core;

TEST(HealthMonitor, SnapshotHoldsEveryCheckInOrder) {
  HealthMonitor monitor;
  monitor.registry().add("database", [] { return CheckResult{}; });
  monitor.registry().add("llm_api", [] { return CheckResult{HealthState::Degraded, "slow"}; });
  monitor.registry().add("event_bus", []() -> CheckResult { throw std::runtime_error("down"); });
  EXPECT_EQ(monitor.snapshot(), nullptr);
  monitor.refresh_now();
  auto snapshot = monitor.snapshot();
  ASSERT_NE(snapshot, nullptr);
  ASSERT_EQ(snapshot->checks.size(), 3u);
  EXPECT_EQ(snapshot->checks[0].name, "database");
  EXPECT_EQ(snapshot->state_of("llm_api"), HealthState::Degraded);
  EXPECT_EQ(snapshot->state_of("event_bus"), HealthState::Unhealthy);
  EXPECT_EQ(snapshot->checks[2].result.detail, "down");
  EXPECT_FALSE(snapshot->state_of("redis"));
  EXPECT_FALSE(snapshot->all_healthy());
  EXPECT_TRUE(snapshot->any_unhealthy());
}

TEST(HealthMonitor, SameNameReplacesTheCheck) {
  HealthMonitor monitor;
  monitor.registry().add("event_bus", [] { return CheckResult{HealthState::Unhealthy, "x"}; });
  monitor.registry().add("event_bus", [] { return CheckResult{}; });
  monitor.refresh_now();
  EXPECT_EQ(monitor.snapshot()->checks.size(), 1u);
  EXPECT_TRUE(monitor.snapshot()->all_healthy());
}

TEST(HealthMonitor, RefreshesInTheBackgroundUntilStopped) {
  WorkerPool pool(1, 16);
  HealthMonitor monitor(std::chrono::milliseconds(100));
  std::atomic<int> runs{0};
  monitor.registry().add("counter", [&] {
    ++runs;
    return CheckResult{};
  });
  monitor.start(pool);
  EXPECT_GE(runs.load(), 1);  // the first round ran before start() returned
  while (runs.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  monitor.stop();
  int after_stop = runs.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(runs.load(), after_stop);
  pool.shutdown();
}

TEST(ProcessSampler, MeasuresThisProcess) {
  ProcessSampler sampler;
  auto first = sampler.sample();
  EXPECT_GT(first.memory_rss_bytes, 0u);
  EXPECT_GT(first.memory_total_bytes, first.memory_rss_bytes);
  EXPECT_GT(first.memory_percent, 0.0);
  EXPECT_LT(first.memory_percent, 100.0);
  EXPECT_GE(first.threads, 1);
  EXPECT_GE(first.open_fds, 3);  // stdin, stdout, stderr at least
  EXPECT_GE(first.cpu_percent, 0.0);
  EXPECT_LE(first.cpu_percent, 100.0 * first.cpu_cores);
  // Burn some CPU so the second interval has something to measure.
  volatile double x = 0;
  for (int i = 0; i < 20000000; ++i) x = x + i * 0.5;
  auto second = sampler.sample();
  EXPECT_GT(second.cpu_percent, 0.0);
  EXPECT_LE(second.cpu_percent_all_cores, 100.0);
}

TEST(ProcessSampler, ParsesStatWithSpacesInTheName) {
  // pid (comm) state ppid ... utime=14 stime=15 ... num_threads=20 ... starttime=22
  std::string stat =
      "42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 7 0 "
      "1000 123456 100 18446744073709551615";
  auto t = ProcessSampler::parse_stat(stat, 110.0, 100);
  ASSERT_TRUE(t);
  EXPECT_DOUBLE_EQ(t->cpu_seconds, 4.0);
  EXPECT_EQ(t->threads, 7);
  EXPECT_DOUBLE_EQ(t->process_age_seconds, 100.0);
  EXPECT_FALSE(ProcessSampler::parse_stat("garbage", 1.0, 100));
}

TEST(ProcessSampler, ParsesKilobyteFields) {
  std::string status = "Name:\tx\nVmRSS:\t  2048 kB\nThreads:\t3\n";
  EXPECT_EQ(ProcessSampler::parse_kb_field(status, "VmRSS:"), 2048u * 1024u);
  EXPECT_FALSE(ProcessSampler::parse_kb_field(status, "MemTotal:"));
}
