#include "core/health/builtin_checks.hpp"

#include <unistd.h>

#include <filesystem>

namespace companion::core {

HealthCheck storage_check(std::string folder, std::uint64_t min_free_bytes) {
  return [folder = std::move(folder), min_free_bytes]() -> CheckResult {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
      return {HealthState::Unhealthy, "data folder is missing"};
    if (::access(folder.c_str(), W_OK) != 0)
      return {HealthState::Unhealthy, "data folder is not writable"};
    auto space = std::filesystem::space(folder, ec);
    if (ec) return {HealthState::Degraded, "free space unknown: " + ec.message()};
    if (space.available < min_free_bytes)
      return {HealthState::Degraded, "only " + std::to_string(space.available >> 20) + " MiB free"};
    return {};
  };
}

HealthCheck queue_check(std::function<std::size_t()> queued, std::size_t limit) {
  return [queued = std::move(queued), limit]() -> CheckResult {
    std::size_t now = queued();
    if (limit > 0 && now * 10 > limit * 9)
      return {HealthState::Degraded,
              std::to_string(now) + " of " + std::to_string(limit) + " queue slots in use"};
    return {};
  };
}

}  // namespace companion::core
