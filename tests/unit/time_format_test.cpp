#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "http/time_format.hpp"

using namespace std::chrono;
using companion::http::append_iso8601;
using companion::http::iso8601;
using companion::http::iso8601_from_unix;

TEST(TimeFormat, PrintsUtcWithMilliseconds) {
  system_clock::time_point t{milliseconds(1706277660123)};
  EXPECT_EQ(iso8601(t), "2024-01-26T14:01:00.123Z");
  EXPECT_EQ(iso8601_from_unix(0), "1970-01-01T00:00:00.000Z");
}

// Stamps within one second share its formatted date; crossing seconds, in either
// direction, must never reuse a stale one.
TEST(TimeFormat, ConsecutiveStampsWithinAndAcrossSecondsStayExact) {
  const std::vector<std::pair<std::int64_t, const char*>> stamps = {
      {1706277659998, "2024-01-26T14:00:59.998Z"}, {1706277659999, "2024-01-26T14:00:59.999Z"},
      {1706277660000, "2024-01-26T14:01:00.000Z"}, {1706277660007, "2024-01-26T14:01:00.007Z"},
      {1706277660042, "2024-01-26T14:01:00.042Z"}, {1706277659500, "2024-01-26T14:00:59.500Z"},
      {1706277661000, "2024-01-26T14:01:01.000Z"},
  };
  for (const auto& [ms, expected] : stamps) {
    std::string out = ">";
    append_iso8601(out, system_clock::time_point{milliseconds(ms)});
    EXPECT_EQ(out, std::string(">") + expected);
  }
}
