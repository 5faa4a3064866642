#pragma once
// The general logger (stderr, level from LOG_LEVEL / log_level) and the access log's sink.
#include <spdlog/common.h>

#include "app/config.hpp"

namespace companion::app {

// Installs the process-wide default logger at the configured level. Accepts the Python
// level names the seed deployments use (DEBUG, INFO, WARNING, ERROR, CRITICAL) in any case.
// Throws std::runtime_error for an unknown level.
void configure_logging(const Config& config);

// Where access-log lines go: standard output, one JSON object per line.
spdlog::sink_ptr access_log_sink();

}  // namespace companion::app
