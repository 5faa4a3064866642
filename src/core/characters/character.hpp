#pragma once
// One entity behind AI Friend's persona, Chattr's characters and AI Coach's agents: who
// the companion is, how it speaks, and which model answers for it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace companion::core {

struct Character {
  std::int64_t row_id = 0;         // AI Coach's numeric agent id
  std::string id;                  // Chattr's character_id: "assistant", "creative", "friend"
  std::string bot_id;              // AI Coach's UUID, what its WebSocket names
  std::int64_t owner_user_id = 0;  // 0: shared by every user; else that user's own copy
  std::string name;
  std::string description;
  std::string personality;               // free text
  std::map<std::string, double> traits;  // persona traits in [0, 1]
  std::string speaking_style = "casual";
  std::vector<std::string> interests;
  std::string background;  // AI Friend's background_story
  std::string system_prompt;
  std::string language = "en-US";
  std::string voice_id;  // persona voice_id / Chattr voice_model
  std::string video_model;
  std::string avatar_url;                 // Chattr avatar_url / AI Coach thumbnail
  std::vector<std::string> capabilities;  // "text", "voice", "video"
  std::string model;                      // "provider/model"; empty: the server's default
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  bool active = true;
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t updated_at = 0;
};

}  // namespace companion::core
