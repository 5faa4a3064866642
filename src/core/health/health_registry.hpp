#pragma once
// The named health checks of the running server, in registration order. Most are
// registered before the server starts, but a feature wired later may still add one: the
// list is guarded, and a round runs on a copy so that no check runs under the lock.
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "core/health/health_check.hpp"

namespace companion::core {

struct CheckOutcome {
  std::string name;
  CheckResult result;
  std::chrono::microseconds took{0};
};

class HealthRegistry {
 public:
  // Adds a check; a second check of the same name replaces the first, so a feature that is
  // wired later can take over a placeholder name.
  void add(std::string name, HealthCheck check);
  bool contains(const std::string& name) const;
  std::size_t size() const;

  // Runs every check once. A check that throws is reported unhealthy with its message.
  std::vector<CheckOutcome> run_all() const;

 private:
  struct Named {
    std::string name;
    HealthCheck check;
  };
  mutable std::mutex mutex_;
  std::vector<Named> checks_;
};

}  // namespace companion::core
