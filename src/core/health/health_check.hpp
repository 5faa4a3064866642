#pragma once
// One named health check: a callable that reports the state of a dependency (the database,
// the event bus, a model provider). Checks run on the worker pool, never on a request path,
// so they may block briefly, but each should bound its own wait (a ping with a timeout).
#include <functional>
#include <string>
#include <string_view>

namespace companion::core {

enum class HealthState {
  Healthy,    // works as configured
  Degraded,   // works, but slower or with reduced capacity
  Unhealthy,  // does not work
};

std::string_view to_string(HealthState state);

struct CheckResult {
  HealthState state = HealthState::Healthy;
  std::string detail;  // why, when not healthy
};

using HealthCheck = std::function<CheckResult()>;

}  // namespace companion::core
