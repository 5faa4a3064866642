#pragma once
// A hand-written evaluation set for the emotion analyzer: chat messages as people send them
// (slang, typos, emoji, negation, mixed feelings, questions), each with the one label a
// reader would give it. Within each label the entries alternate between the dev half (used
// to tune the word list) and the held-out half (never looked at while tuning), so the
// held-out figures say how the analyzer does on text it was not fitted to.
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/affect/emotion.hpp"

namespace companion::testing {

enum class EvalHalf { dev, held_out };

struct LabelledSentence {
  std::string_view text;
  std::string_view label;  // one of core::emotion_labels
  EvalHalf half;
};

std::span<const LabelledSentence> emotion_labelled_set();

// How an analyzer's primary label compares with the set's labels.
struct LabelScores {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::size_t support = 0;  // entries with this label
};

struct EmotionEvaluation {
  std::size_t count = 0;
  std::size_t correct = 0;
  double accuracy = 0;
  double macro_f1 = 0;  // mean F1 over the labels present in the evaluated entries
  std::array<LabelScores, core::emotion_labels.size()> per_label{};
  // confusion[expected][predicted], in the order of core::emotion_labels.
  std::array<std::array<std::size_t, core::emotion_labels.size()>, core::emotion_labels.size()>
      confusion{};
  struct Miss {
    const LabelledSentence* entry;
    std::string predicted;
  };
  std::vector<Miss> misses;
};

// Evaluates one half, or the whole set when `half` is empty.
EmotionEvaluation evaluate_emotions(const core::EmotionAnalyzer& analyzer,
                                    std::optional<EvalHalf> half);

}  // namespace companion::testing
