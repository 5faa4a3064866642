#include "core/conversation/stage_statistics.hpp"

namespace companion::core {

StageStatistics::StageStatistics(std::vector<std::string> known_stages) {
  // Stages that never ran yet are still listed (with zero runs), so a status page shows the
  // whole pipeline from the first request on.
  for (auto& name : known_stages) stages_[name].stage = name;
}

void StageStatistics::record(const std::string& stage, double ms, bool ok, std::int64_t at) {
  std::lock_guard lock(mutex_);
  auto& report = stages_[stage];
  report.stage = stage;
  ++report.runs;
  if (!ok) ++report.failures;
  report.total_ms += ms;
  report.last_ms = ms;
  report.last_run_at = at;
}

std::vector<StageReport> StageStatistics::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<StageReport> out;
  out.reserve(stages_.size());
  for (const auto& [name, report] : stages_) out.push_back(report);
  return out;
}

}  // namespace companion::core
