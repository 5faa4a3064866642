#pragma once
// The emotion of a whole reply as AI Coach keeps it with a chat: the reply's items and
// statistics over its sentences (how many were analysed, and per label the mean and the
// strongest intensity, and the last sentence's items).
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/affect/emotion.hpp"

namespace companion::core {

struct SentenceEmotionStats {
  std::size_t count = 0;              // sentences analysed
  std::map<std::string, double> avg;  // label → mean intensity where the label was present
  std::map<std::string, int> max;     // label → strongest intensity
  std::map<std::string, int> last;    // the last sentence's items
};

struct ReplyEmotion {
  std::vector<EmotionItem> items;  // of the reply as a whole
  SentenceEmotionStats stats;
};

ReplyEmotion reply_emotion(const EmotionAnalyzer& analyzer, std::string_view reply);

}  // namespace companion::core
