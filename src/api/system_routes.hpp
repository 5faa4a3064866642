#pragma once
// System endpoints: /health (the union of the AI Friend, Voice Assistant and YouWorker
// shapes), /api/v1/health (Chattr) and /api/system/status (Voice Assistant).
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "core/health/health_monitor.hpp"
#include "http/router.hpp"

namespace companion::api {

// What other features contribute to the system endpoints. The composition root fills it
// before the server starts; handlers only read it.
struct SystemProviders {
  // Sessions the server really has open. Read on the network thread: must be cheap.
  std::function<std::int64_t()> active_sessions;
  // Feature name → whether it is wired in this server (/api/system/status "features").
  std::vector<std::pair<std::string, std::function<bool()>>> features;
  // Stat name → its current value (/api/system/status "stats"). Runs on the worker pool,
  // so a provider may count rows in a store.
  std::vector<std::pair<std::string, std::function<boost::json::value()>>> stats;
};

struct SystemInfo {
  std::string version;
  std::function<std::chrono::steady_clock::time_point()> started_at;
  const core::HealthMonitor* health = nullptr;  // owned by the composition root
  const SystemProviders* providers = nullptr;   // owned by the composition root
};

void register_system_routes(http::Router& router, SystemInfo info);

}  // namespace companion::api
