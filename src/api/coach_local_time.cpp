#include "api/coach_local_time.hpp"

#include <cctype>
#include <cstdio>

namespace companion::api {

namespace {

using namespace std::chrono;

// Reads `count` digits at `pos`; nullopt when they are not all digits.
std::optional<int> digits(const std::string& text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

ClientClock::ClientClock(const std::optional<std::string>& local_time, Steady::time_point received)
    : received_(received) {
  if (!local_time || local_time->empty()) {
    start_ = time_point_cast<milliseconds>(system_clock::now());
    return;
  }
  if (auto parsed = parse(*local_time)) {
    start_ = parsed->first;
    shape_ = parsed->second;
  } else {
    verbatim_ = *local_time;
  }
}

// "YYYY-MM-DD[ T]HH:MM[:SS[.fff…]][suffix]".
std::optional<std::pair<sys_time<milliseconds>, ClientClock::Shape>> ClientClock::parse(
    const std::string& text) {
  Shape shape;
  auto y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  if (!y || !mo || !d || text[4] != '-' || text[7] != '-' || text.size() < 16) return std::nullopt;
  shape.separator = text[10];
  if (shape.separator != ' ' && shape.separator != 'T') return std::nullopt;
  auto h = digits(text, 11, 2), mi = digits(text, 14, 2);
  if (!h || !mi || text[13] != ':') return std::nullopt;
  std::size_t pos = 16;
  int s = 0;
  shape.seconds = pos < text.size() && text[pos] == ':';
  if (shape.seconds) {
    auto sec = digits(text, pos + 1, 2);
    if (!sec) return std::nullopt;
    s = *sec;
    pos += 3;
  }
  int ms = 0;
  if (shape.seconds && pos < text.size() && text[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (pos - start < 3) ms = ms * 10 + (text[pos] - '0');
      ++pos;
    }
    shape.fraction_digits = static_cast<int>(std::min<std::size_t>(pos - start, 9));
    if (shape.fraction_digits == 0) return std::nullopt;
    for (int i = shape.fraction_digits; i < 3; ++i) ms *= 10;
  }
  shape.suffix = text.substr(pos);
  year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *h > 23 || *mi > 59 || s > 60) return std::nullopt;
  auto when = sys_days(date) + hours(*h) + minutes(*mi) + seconds(s) + milliseconds(ms);
  return std::make_pair(time_point_cast<milliseconds>(when), shape);
}

std::string ClientClock::at(Steady::time_point at) const {
  if (!verbatim_.empty()) return verbatim_;
  auto elapsed = duration_cast<milliseconds>(at - received_);
  auto when = start_ + std::max(elapsed, milliseconds(0));
  auto day_start = floor<days>(when);
  year_month_day date{day_start};
  hh_mm_ss<milliseconds> time{when - day_start};
  char buffer[64];
  int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u%c%02d:%02d", int(date.year()),
                        unsigned(date.month()), unsigned(date.day()), shape_.separator,
                        int(time.hours().count()), int(time.minutes().count()));
  std::string out(buffer, static_cast<std::size_t>(n));
  if (shape_.seconds) {
    std::snprintf(buffer, sizeof buffer, ":%02d", int(time.seconds().count()));
    out += buffer;
  }
  if (shape_.fraction_digits > 0) {
    std::snprintf(buffer, sizeof buffer, "%03d", int(time.subseconds().count()));
    std::string fraction(buffer);
    fraction.resize(static_cast<std::size_t>(shape_.fraction_digits), '0');
    out += "." + fraction;
  }
  return out + shape_.suffix;
}

}  // namespace companion::api
