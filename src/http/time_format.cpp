#include "http/time_format.hpp"

#include <ctime>

#include <fmt/format.h>

namespace companion::http {

namespace {

// "2024-01-26T14:01:00." for the second `seconds` since the epoch. Formatting a calendar
// date is the costly part, and a thread stamps many answers within one second, so each
// thread keeps the last second it formatted.
const std::string& date_and_time_prefix(std::time_t seconds) {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached_prefix;
  if (seconds != cached_second || cached_prefix.empty()) {
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    cached_prefix = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = seconds;
  }
  return cached_prefix;
}

}  // namespace

void append_iso8601(std::string& out, std::chrono::system_clock::time_point t) {
  auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(t);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(t - seconds).count();
  std::time_t tt = std::chrono::system_clock::to_time_t(seconds);
  if (millis < 0 || tt < 0) {
    // Before the epoch: rare enough to format in full.
    std::tm tm{};
    gmtime_r(&tt, &tm);
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   millis);
    return;
  }
  out += date_and_time_prefix(tt);
  const char digits[] = {static_cast<char>('0' + millis / 100),
                         static_cast<char>('0' + millis / 10 % 10),
                         static_cast<char>('0' + millis % 10), 'Z'};
  out.append(digits, sizeof digits);
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  std::string out;
  out.reserve(24);
  append_iso8601(out, t);
  return out;
}

std::string iso8601_now() {
  return iso8601(std::chrono::system_clock::now());
}

std::string iso8601_from_unix(std::int64_t unix_seconds) {
  return iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)));
}

}  // namespace companion::http
