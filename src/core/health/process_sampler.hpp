#pragma once
// Measures this process's resource use from /proc: CPU time over the interval since the
// previous sample, resident memory against the machine's total, open file descriptors and
// threads. Not thread-safe: the health monitor samples from one task at a time.
#include <chrono>
#include <cstdint>
#include <optional>

namespace companion::core {

struct ProcessUsage {
  // CPU time used over the sampling interval as a percentage of ONE core, the way `top`
  // shows a process: 100 means one core fully busy; the ceiling is 100 × cpu_cores.
  double cpu_percent = 0;
  // The same time as a percentage of all cores together (0..100).
  double cpu_percent_all_cores = 0;
  unsigned cpu_cores = 1;
  double sample_interval_seconds = 0;  // the interval cpu_percent covers

  std::uint64_t memory_rss_bytes = 0;
  std::uint64_t memory_total_bytes = 0;  // MemTotal of the machine
  double memory_percent = 0;             // rss / total × 100

  std::int64_t open_fds = 0;
  std::int64_t threads = 0;
};

// The raw counters of /proc/self/stat that a sample derives from.
struct CpuTimes {
  double cpu_seconds = 0;          // utime + stime
  double process_age_seconds = 0;  // since the process started
  std::int64_t threads = 0;
};

class ProcessSampler {
 public:
  // Reads the counters now. The first sample covers the whole life of the process; later
  // ones cover the interval since the previous sample. Fields that cannot be read stay 0.
  ProcessUsage sample();

  // Parsers, public for tests: the text of /proc/self/stat, of /proc/self/status and
  // /proc/meminfo ("VmRSS:", "MemTotal:" lines, in kB).
  static std::optional<CpuTimes> parse_stat(const std::string& stat, double uptime_seconds,
                                            long ticks_per_second);
  static std::optional<std::uint64_t> parse_kb_field(const std::string& text,
                                                     const std::string& field);

 private:
  std::optional<double> last_cpu_seconds_;
  std::chrono::steady_clock::time_point last_at_;
};

}  // namespace companion::core
