#pragma once
// From measured feeling strengths to the documented shapes: the distribution over all nine
// labels (neutral included), the primary label and its confidence, sentiment, subjectivity,
// intensity, and AI Coach's items with integer intensities.
#include <cstddef>
#include <vector>

#include "core/affect/emotion.hpp"
#include "core/affect/feeling.hpp"

namespace companion::core {

// What the scorer counted in one text.
struct FeelingMeasure {
  FeelingStrengths strengths{};  // summed cue strengths per feeling, after every shifter
  double valence = 0;            // summed valence of the cues
  std::size_t tokens = 0;        // words, emoji and emoticons
  std::size_t cue_tokens = 0;    // of which carry a feeling or shape one ("very", "not")
};

// Neutral competes as if it were a feeling of this fixed strength, so text whose cues are
// faint ("sounds fine") stays neutral, and the share of neutral in a distribution tells how
// strong the other feelings were (the items are read back from it).
inline constexpr double kNeutralStrength = 0.4;

EmotionAnalysis summarize(const FeelingMeasure& measure);

// The feelings present, strongest first, with intensity 1-3; empty when neutral wins.
std::vector<EmotionItem> items_from(const EmotionAnalysis& analysis);

}  // namespace companion::core
