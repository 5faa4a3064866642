#pragma once
// Emotion analysis of a piece of text, offline: a lexicon with negation, intensifiers,
// contrast, emoji, elongation and punctuation. Fills every documented shape: the primary
// emotion with its confidence and the distribution over all labels (AI Friend), sentiment
// in [-1, 1], subjectivity and intensity, and per-sentence items with integer intensities
// (AI Coach's `emotion.items`).
#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

class Lexicon;

// The labels, in a fixed order. "neutral" is what text with no emotional cue gets.
inline constexpr std::array<std::string_view, 9> emotion_labels = {
    "joy", "sadness", "anger", "fear", "surprise", "disgust", "love", "excitement", "neutral"};

struct EmotionAnalysis {
  std::string primary = "neutral";
  double confidence = 0;                       // the primary label's share in [0, 1]
  std::map<std::string, double> distribution;  // every label, summing to 1
  double sentiment = 0;                        // [-1, 1]
  double subjectivity = 0;                     // [0, 1]: share of the words that carry feeling
  std::string intensity = "low";               // low, medium, high
};

// AI Coach's item: {"name": "Joy", "intensity": 2}; intensity 1 (faint) to 3 (strong).
struct EmotionItem {
  std::string name;  // capitalised label
  int intensity = 1;
};

struct SentenceEmotion {
  std::string sentence;
  EmotionAnalysis analysis;
  std::vector<EmotionItem> items;  // the labels present, strongest first; empty for neutral
};

class EmotionAnalyzer {
 public:
  // The lexicon (WordNet) lets inflected words reach the word list through their lemma
  // ("won" → "win"); may be null, and the analyzer works fully without it.
  explicit EmotionAnalyzer(std::shared_ptr<const Lexicon> lexicon = nullptr);
  ~EmotionAnalyzer();
  EmotionAnalyzer(EmotionAnalyzer&&) noexcept;
  EmotionAnalyzer& operator=(EmotionAnalyzer&&) noexcept;

  // Thread-safe (const).
  EmotionAnalysis analyze(std::string_view text) const;
  std::vector<SentenceEmotion> analyze_sentences(std::string_view text) const;
  // The items of one already-split sentence.
  std::vector<EmotionItem> items_of(const EmotionAnalysis& analysis) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace companion::core
