#pragma once
// Recognises what a chat message asks for, by rules, with no model: music control,
// remembering and forgetting, slides, web and Wikipedia searches, questions about the
// user's documents or about the user themself, and the social moves (greeting, thanks,
// farewell). A wrong tool call annoys a user more than a missed one, so every rule that
// leads to a tool wants an explicit request: "I played football yesterday" is no music
// request and "I remember when…" asks to store nothing. Deterministic and allocation-light:
// it runs on every message.
#include <map>
#include <string>
#include <string_view>

namespace companion::core {

// The names detect() returns.
namespace intent {
inline constexpr std::string_view music_play = "music_play";  // slot: query (may be empty)
inline constexpr std::string_view music_pause = "music_pause";
inline constexpr std::string_view music_resume = "music_resume";
inline constexpr std::string_view music_next = "music_next";
inline constexpr std::string_view music_previous = "music_previous";
inline constexpr std::string_view music_stop = "music_stop";
inline constexpr std::string_view remember = "remember";  // slot: content
inline constexpr std::string_view forget = "forget";      // slot: query
inline constexpr std::string_view slides = "slides";      // slots: mode, title, topic, instructions
inline constexpr std::string_view web_search = "web_search";                // slot: query
inline constexpr std::string_view wikipedia = "wikipedia";                  // slot: query
inline constexpr std::string_view document_question = "document_question";  // slot: query
// A question about what the companion knows of the user ("when is my birthday?").
inline constexpr std::string_view memory_question = "memory_question";  // slot: query
// A question about the companion itself ("who are you?"); slot aspect: name, nature, abilities.
inline constexpr std::string_view identity = "identity";
inline constexpr std::string_view greeting = "greeting";
inline constexpr std::string_view farewell = "farewell";
inline constexpr std::string_view thanks = "thanks";
inline constexpr std::string_view question = "question";
inline constexpr std::string_view statement = "statement";
}  // namespace intent

// The name clients know an intent by, in events and in the Voice Assistant's answers: verb
// first ("play_music", "store_memory"), "conversation" when none was detected. The names
// above group intents by topic for the detector and the tools.
std::string published_intent_name(std::string_view intent);

struct DetectedIntent {
  std::string name;
  double confidence = 0;  // [0, 1]: 0.9+ for an explicit command, 0.5 for the default
  std::map<std::string, std::string> slots;  // slot text keeps the user's own spelling
};

class IntentDetector {
 public:
  // Thread-safe (const, no state).
  DetectedIntent detect(std::string_view text) const;
};

}  // namespace companion::core
