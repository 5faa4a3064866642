#include "app/logging.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace companion::app {

namespace {

spdlog::level::level_enum parse_level(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name == "warn" || name == "warning") return spdlog::level::warn;
  if (name == "fatal" || name == "critical") return spdlog::level::critical;
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "error") return spdlog::level::err;
  if (name == "off" || name == "none") return spdlog::level::off;
  throw std::runtime_error("unknown log level \"" + name +
                           "\" (trace, debug, info, warning, error, critical, off)");
}

}  // namespace

void configure_logging(const Config& config) {
  auto level = parse_level(config.log_level);
  // Replaced only once: the loggers of servers in one process (tests) share it.
  static auto logger = [] {
    auto l = spdlog::stderr_color_mt("companion");
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    spdlog::set_default_logger(l);
    return l;
  }();
  logger->set_level(level);
}

spdlog::sink_ptr access_log_sink() {
  static auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  return sink;
}

}  // namespace companion::app
