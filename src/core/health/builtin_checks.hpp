#pragma once
// Health checks for what every deployment has: the data folder and the worker pool.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/health/health_check.hpp"

namespace companion::core {

// Unhealthy when the folder is missing or not writable; degraded when less than
// `min_free_bytes` remain on its file system.
HealthCheck storage_check(std::string folder, std::uint64_t min_free_bytes);

// Degraded when the queue holds more than 90% of its bound: new blocking work is about to
// be refused with 503.
HealthCheck queue_check(std::function<std::size_t()> queued, std::size_t limit);

}  // namespace companion::core
