#include "core/health/health_registry.hpp"

#include <algorithm>
#include <exception>

namespace companion::core {

void HealthRegistry::add(std::string name, HealthCheck check) {
  std::lock_guard lock(mutex_);
  auto same =
      std::find_if(checks_.begin(), checks_.end(), [&](const Named& n) { return n.name == name; });
  if (same != checks_.end()) {
    same->check = std::move(check);
    return;
  }
  checks_.push_back({std::move(name), std::move(check)});
}

bool HealthRegistry::contains(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return std::any_of(checks_.begin(), checks_.end(),
                     [&](const Named& n) { return n.name == name; });
}

std::size_t HealthRegistry::size() const {
  std::lock_guard lock(mutex_);
  return checks_.size();
}

namespace {

CheckResult run_guarded(const HealthCheck& check) {
  try {
    return check();
  } catch (const std::exception& e) {
    return {HealthState::Unhealthy, e.what()};
  } catch (...) {
    return {HealthState::Unhealthy, "check failed"};
  }
}

}  // namespace

std::vector<CheckOutcome> HealthRegistry::run_all() const {
  std::vector<Named> checks;
  {
    std::lock_guard lock(mutex_);
    checks = checks_;
  }
  std::vector<CheckOutcome> outcomes;
  outcomes.reserve(checks.size());
  for (const auto& named : checks) {
    auto begin = std::chrono::steady_clock::now();
    CheckResult result = run_guarded(named.check);
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - begin);
    outcomes.push_back({named.name, std::move(result), took});
  }
  return outcomes;
}

}  // namespace companion::core
