#include "core/health/health_check.hpp"

namespace companion::core {

std::string_view to_string(HealthState state) {
  switch (state) {
    case HealthState::Healthy:
      return "healthy";
    case HealthState::Degraded:
      return "degraded";
    case HealthState::Unhealthy:
      return "unhealthy";
  }
  return "unhealthy";
}

}  // namespace companion::core
