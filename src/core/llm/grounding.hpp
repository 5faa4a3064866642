#pragma once
// What a turn knows besides the words of the conversation, in structured form: who the
// companion is, how the user feels, what it remembers about them and which passages of
// their documents bear on the question. The prompt builder turns it into text for network
// models; the offline engine composes its reply from it directly.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace companion::core {

struct PersonaStyle {
  std::string name = "Friend";
  std::string description;
  std::string personality;                // free text ("Professional, helpful, …")
  std::map<std::string, double> traits;   // friendliness, humor, empathy, formality, … in [0, 1]
  std::string speaking_style = "casual";  // casual, thoughtful, formal, playful, …
  std::vector<std::string> interests;
  std::string background;
  std::string language = "en-US";
};

struct RecalledMemory {
  std::string content;
  std::string category;
  double similarity = 0;  // [0, 1]
};

struct RetrievedPassage {
  std::string text;
  std::string document_id;
  std::string document_title;  // file name or title the user gave
  std::optional<int> page;     // 1-based, when the document has pages
  double score = 0;
};

struct UserFeeling {
  std::string emotion = "neutral";  // primary label: joy, sadness, anger, fear, …
  double confidence = 0;
  double sentiment = 0;           // [-1, 1]
  std::string intensity = "low";  // low, medium, high
};

struct Grounding {
  PersonaStyle persona;
  std::string user_display_name;  // how to address the user; may be empty
  UserFeeling feeling;
  std::vector<RecalledMemory> memories;    // most relevant first
  std::vector<RetrievedPassage> passages;  // most relevant first
  // Names of the tools the model may call this turn.
  std::vector<std::string> tools;
  std::string local_time;  // "YYYY-MM-DD HH:MM:SS" of the user, when known
};

}  // namespace companion::core
