#pragma once
// The client's clock as AI Coach frames carry it (`local_time`): what the client's
// text_query said, advanced by the time since, written back in the client's own format
// ("2025-10-30 10:00:00" stays that shape; "2025-10-30T10:00:00.250+02:00" keeps its
// fraction and offset). A query without one gets the server's UTC clock in the documented
// shape; a value that is not a date and time is echoed unchanged.
#include <chrono>
#include <optional>
#include <string>

namespace companion::api {

class ClientClock {
 public:
  using Steady = std::chrono::steady_clock;

  ClientClock(const std::optional<std::string>& local_time, Steady::time_point received);

  // The client's time at `at`.
  std::string at(Steady::time_point at) const;
  std::string now() const { return at(Steady::now()); }

 private:
  struct Shape {
    char separator = ' ';  // between date and time
    bool seconds = true;
    int fraction_digits = 0;  // 0–9 as sent; written with millisecond precision
    std::string suffix;       // "Z", "+02:00", … kept verbatim
  };
  static std::optional<std::pair<std::chrono::sys_time<std::chrono::milliseconds>, Shape>> parse(
      const std::string& text);

  std::string verbatim_;  // set when the client's value could not be read
  std::chrono::sys_time<std::chrono::milliseconds> start_{};
  Shape shape_;
  Steady::time_point received_;
};

}  // namespace companion::api
