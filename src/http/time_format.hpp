#pragma once
// Timestamps as the seed documents print them: ISO 8601 UTC with a Z.
#include <chrono>
#include <cstdint>
#include <string>

namespace companion::http {

std::string iso8601(std::chrono::system_clock::time_point t);
// The same text, appended to `out`.
void append_iso8601(std::string& out, std::chrono::system_clock::time_point t);
std::string iso8601_now();
std::string iso8601_from_unix(std::int64_t unix_seconds);

}  // namespace companion::http
