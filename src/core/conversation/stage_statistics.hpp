#pragma once
// Per-stage counters and timings of the turn pipeline: what AI Friend's
// /api/agents/status reports for each of its "agents". Counted as the stages run.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace companion::core {

struct StageReport {
  std::string stage;
  std::int64_t runs = 0;
  std::int64_t failures = 0;
  double total_ms = 0;
  double last_ms = 0;
  std::int64_t last_run_at = 0;  // unix seconds; 0: never ran
  double average_ms() const { return runs > 0 ? total_ms / static_cast<double>(runs) : 0; }
  double success_rate() const {
    return runs > 0 ? static_cast<double>(runs - failures) / static_cast<double>(runs) : 1.0;
  }
};

class StageStatistics {
 public:
  explicit StageStatistics(std::vector<std::string> known_stages = {});
  void record(const std::string& stage, double ms, bool ok, std::int64_t at);
  std::vector<StageReport> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, StageReport> stages_;
};

}  // namespace companion::core
