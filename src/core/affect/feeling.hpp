#pragma once
// The eight feelings the analyzer measures, in the order of `emotion_labels` (neutral, the
// ninth label, is what remains when none of them is present), and what one cue (a word, a
// phrase, an emoji) says about them.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace companion::core {

enum class Feeling : std::uint8_t {
  joy,
  sadness,
  anger,
  fear,
  surprise,
  disgust,
  love,
  excitement
};

inline constexpr std::size_t kFeelingCount = 8;
inline constexpr std::size_t kNeutralIndex = 8;  // neutral's place in emotion_labels

using FeelingStrengths = std::array<double, kFeelingCount>;

constexpr std::size_t index_of(Feeling feeling) {
  return static_cast<std::size_t>(feeling);
}

// How strongly a cue signals each feeling (about 1 for a plain "happy") and how pleasant it
// is, in [-1, 1].
struct EmotionCue {
  FeelingStrengths strengths{};
  double valence = 0;
};

// One line of a hand-written cue list: the main feeling and, for words that carry two
// ("thrilled" is excitement and joy), a second one.
struct CueSpec {
  std::string_view text;
  Feeling feeling;
  double weight;
  double valence;
  Feeling also = Feeling::joy;
  double also_weight = 0;
};

constexpr EmotionCue to_cue(const CueSpec& spec) {
  EmotionCue cue;
  cue.strengths[index_of(spec.feeling)] += spec.weight;
  cue.strengths[index_of(spec.also)] += spec.also_weight;
  cue.valence = spec.valence;
  return cue;
}

}  // namespace companion::core
