#pragma once
// What the AI Coach tests share: users with API keys, the built-in coach's bot_id, thread
// ids, and reading the realtime socket's frames.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "app/state.hpp"
#include "core/characters/character_service.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

namespace companion::testing::coach {

namespace json = boost::json;

// A new ordinary user and an API key of theirs (allowed from anywhere unless told).
inline std::string user_with_key(TestServer& server, const std::string& username,
                                 core::AllowList allow = {}) {
  auto& accounts = *server.app().state().accounts;
  core::NewUser user;
  user.username = username;
  auto created = accounts.add_user(user, "");
  EXPECT_TRUE(created.ok());
  auto key = accounts.create_api_key(username, "coach test", std::move(allow));
  EXPECT_TRUE(key.ok());
  return key.ok() ? key->secret : std::string();
}

inline HeaderList api_key(const std::string& key) {
  return {{"Authorization", "Api-Key " + key}};
}

inline core::Character built_in_coach(TestServer& server) {
  return *server.app().state().characters->resolve(0, core::default_coach_agent_id);
}

// "user_" and 16 hex digits, different for each n.
inline std::string thread_id(unsigned n) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "user_%016x", n);
  return buffer;
}

inline std::string ws_target(const std::string& bot_id, const std::string& thread,
                             const std::string& key) {
  std::string target = "/ws/chat/?website_language=en";
  if (!bot_id.empty()) target += "&bot_id=" + bot_id;
  if (!thread.empty()) target += "&thread_id=" + thread;
  if (!key.empty()) target += "&api_key=" + key;
  return target;
}

inline std::string type_of(const json::object& frame) {
  const auto* type = frame.if_contains("type");
  return type && type->is_string() ? std::string(type->as_string()) : std::string();
}

inline json::object next_frame(WsClient& ws) {
  auto frame = ws.read_json();
  if (!frame || !frame->is_object()) {
    ADD_FAILURE() << "no frame (connection closed with " << ws.close_code() << ")";
    return {};
  }
  return frame->as_object();
}

// The frames up to and including the first of type `last` (all of them if the socket
// closes first).
inline std::vector<json::object> frames_until(WsClient& ws, const std::string& last) {
  std::vector<json::object> frames;
  while (auto frame = ws.read_json()) {
    if (!frame->is_object()) continue;
    frames.push_back(frame->as_object());
    if (type_of(frames.back()) == last) return frames;
  }
  ADD_FAILURE() << "the socket closed (" << ws.close_code() << ") before a " << last << " frame";
  return frames;
}

inline std::vector<json::object> of_type(const std::vector<json::object>& frames,
                                         const std::string& type) {
  std::vector<json::object> out;
  for (const auto& frame : frames)
    if (type_of(frame) == type) out.push_back(frame);
  return out;
}

inline void send_json(WsClient& ws, const json::object& message) {
  ws.send_text(json::serialize(message));
}

}  // namespace companion::testing::coach
