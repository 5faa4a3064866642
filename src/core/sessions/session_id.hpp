#pragma once
// Session ids: the format the server generates, and what it accepts from a client.
#include <chrono>
#include <string>
#include <string_view>

namespace companion::core {

// "{user_id}_{YYYYMMDD}_{8 random hex}", the date in UTC.
std::string generate_session_id(std::string_view user_id,
                                std::chrono::system_clock::time_point now);

// 1..128 characters of letters, digits and "_-.:" (ids end up in URLs and logs).
bool is_valid_session_id(std::string_view id);
// 1..64 characters of letters, digits and "_-.@".
bool is_valid_user_id(std::string_view id);

}  // namespace companion::core
