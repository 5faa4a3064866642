#include "http/time_format.hpp"

#include <ctime>

#include <fmt/format.h>

namespace companion::http {

std::string iso8601(std::chrono::system_clock::time_point t) {
  auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(t);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(t - seconds).count();
  std::time_t tt = std::chrono::system_clock::to_time_t(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

std::string iso8601_now() { return iso8601(std::chrono::system_clock::now()); }

std::string iso8601_from_unix(std::int64_t unix_seconds) {
  return iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
}

}  // namespace companion::http
