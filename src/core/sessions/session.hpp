#pragma once
// A Voice Assistant session: one conversation context of one user, shared by the client
// connections that name it.
#include <chrono>
#include <string>

namespace companion::core {

struct Session {
  std::string id;  // "{user_id}_{YYYYMMDD}_{8 hex}" when the server chose it
  std::string user_id;
  std::string client_type;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point last_activity;
};

}  // namespace companion::core
