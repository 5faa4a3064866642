#include "core/sessions/session_id.hpp"

#include <ctime>
#include <random>

#include <fmt/format.h>

namespace companion::core {

namespace {

bool all_of_charset(std::string_view text, std::string_view extra) {
  for (char c : text) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

std::string generate_session_id(std::string_view user_id,
                                std::chrono::system_clock::time_point now) {
  thread_local std::mt19937 generator{std::random_device{}()};
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}_{:04}{:02}{:02}_{:08x}", user_id, tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, static_cast<unsigned>(generator()));
}

bool is_valid_session_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && all_of_charset(id, "_-.:");
}

bool is_valid_user_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && all_of_charset(id, "_-.@");
}

}  // namespace companion::core
