#include "core/affect/emotion_stats.hpp"

#include <algorithm>

namespace companion::core {

ReplyEmotion reply_emotion(const EmotionAnalyzer& analyzer, std::string_view reply) {
  ReplyEmotion out;
  out.items = analyzer.items_of(analyzer.analyze(reply));
  std::map<std::string, int> sums;
  std::map<std::string, int> seen;
  for (const auto& sentence : analyzer.analyze_sentences(reply)) {
    ++out.stats.count;
    out.stats.last.clear();
    for (const auto& item : sentence.items) {
      sums[item.name] += item.intensity;
      ++seen[item.name];
      auto& strongest = out.stats.max[item.name];
      strongest = std::max(strongest, item.intensity);
      out.stats.last[item.name] = item.intensity;
    }
  }
  for (const auto& [name, sum] : sums) out.stats.avg[name] = static_cast<double>(sum) / seen[name];
  return out;
}

}  // namespace companion::core
