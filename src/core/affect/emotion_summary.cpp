#include "core/affect/emotion_summary.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace companion::core {

namespace {

static_assert(emotion_labels[index_of(Feeling::joy)] == "joy");
static_assert(emotion_labels[index_of(Feeling::excitement)] == "excitement");
static_assert(emotion_labels[kNeutralIndex] == "neutral");

// Strength bands shared by the label "intensity" and the items' 1-3: a plain "happy" is
// about 1 (medium), "so happy!" about 1.8 (high), "a bit nervous" about 0.5 (low).
constexpr double kMediumStrength = 0.8;
constexpr double kHighStrength = 1.6;
// Items list a secondary feeling only when it is noticeable on its own and next to the
// primary one.
constexpr double kItemFloor = 0.3;
constexpr double kItemShareOfStrongest = 0.25;
// Softness of the sentiment curve: one plain positive word (valence 0.8) gives about 0.7.
constexpr double kSentimentSoftness = 0.6;

int band_of(double strength) {
  if (strength >= kHighStrength) return 3;
  if (strength >= kMediumStrength) return 2;
  return 1;
}

std::string capitalised(std::string_view label) {
  std::string name(label);
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

double share(const EmotionAnalysis& analysis, std::string_view label) {
  const auto found = analysis.distribution.find(std::string(label));
  return found == analysis.distribution.end() ? 0.0 : found->second;
}

}  // namespace

EmotionAnalysis summarize(const FeelingMeasure& measure) {
  EmotionAnalysis analysis;
  double total = kNeutralStrength;
  for (const double strength : measure.strengths) total += std::max(0.0, strength);

  std::size_t primary = kNeutralIndex;
  double primary_strength = kNeutralStrength;
  for (std::size_t i = 0; i < kFeelingCount; ++i) {
    const double strength = std::max(0.0, measure.strengths[i]);
    analysis.distribution[std::string(emotion_labels[i])] = strength / total;
    if (strength > primary_strength) {
      primary = i;
      primary_strength = strength;
    }
  }
  analysis.distribution[std::string(emotion_labels[kNeutralIndex])] = kNeutralStrength / total;

  analysis.primary = std::string(emotion_labels[primary]);
  analysis.confidence = primary_strength / total;
  const double v = measure.valence;
  analysis.sentiment = std::clamp(v / std::sqrt(v * v + kSentimentSoftness), -1.0, 1.0);
  analysis.subjectivity =
      measure.tokens == 0 ? 0.0
                          : std::min(1.0, static_cast<double>(measure.cue_tokens) / measure.tokens);
  const int band = primary == kNeutralIndex ? 1 : band_of(primary_strength);
  analysis.intensity = band == 3 ? "high" : band == 2 ? "medium" : "low";
  return analysis;
}

std::vector<EmotionItem> items_from(const EmotionAnalysis& analysis) {
  const double neutral_share = share(analysis, "neutral");
  if (analysis.primary == "neutral" || neutral_share <= 0) return {};

  struct Present {
    std::size_t label;
    double strength;
  };
  std::vector<Present> present;
  double strongest = 0;
  for (std::size_t i = 0; i < kFeelingCount; ++i) {
    // Shares are relative to neutral's fixed strength, so the ratio gives the strength back.
    const double strength = share(analysis, emotion_labels[i]) / neutral_share * kNeutralStrength;
    strongest = std::max(strongest, strength);
    if (strength >= kItemFloor) present.push_back({i, strength});
  }
  std::stable_sort(present.begin(), present.end(),
                   [](const Present& a, const Present& b) { return a.strength > b.strength; });

  std::vector<EmotionItem> items;
  for (const Present& feeling : present) {
    if (feeling.strength < kItemShareOfStrongest * strongest) continue;
    items.push_back({capitalised(emotion_labels[feeling.label]), band_of(feeling.strength)});
  }
  return items;
}

}  // namespace companion::core
