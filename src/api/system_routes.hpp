#pragma once
// System endpoints: health checks, statistics, metrics.
#include <chrono>
#include <string>

#include "http/router.hpp"

namespace companion::api {

struct SystemInfo {
  std::string version;
  std::chrono::steady_clock::time_point started_at;
};

void register_system_routes(http::Router& router, SystemInfo info);

}  // namespace companion::api
