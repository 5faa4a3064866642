#pragma once
// Reads one text and measures its feelings: every cue of the word list, emoji and emoticons
// counts, shaped by what surrounds it. Negation turns a feeling within the next three words
// ("not happy" reads as sad, "not bad" as mildly good; "never been so scared" stays fear);
// intensifiers and downtoners scale it; after "but" what came before weighs half; SHOUTED and
// elongated cue words ("sooo happyyy") and exclamation marks make it stronger; "?!" and "??"
// are cues of surprise. Deterministic and const: one scorer serves every thread.
#include <string_view>

#include "core/affect/emotion_lexicon.hpp"
#include "core/affect/emotion_summary.hpp"
#include "core/affect/valence_shifters.hpp"

namespace companion::core {

class Lexicon;

class FeelingScorer {
 public:
  // `dictionary` (may be null) lets inflected words the list lacks reach their lemma
  // ("won" → "win").
  explicit FeelingScorer(const Lexicon* dictionary) : dictionary_(dictionary) {}

  FeelingMeasure measure(std::string_view text) const;

  const EmotionLexicon& lexicon() const { return lexicon_; }
  const ValenceShifters& shifters() const { return shifters_; }
  const Lexicon* dictionary() const { return dictionary_; }

 private:
  EmotionLexicon lexicon_;
  ValenceShifters shifters_;
  const Lexicon* dictionary_;
};

}  // namespace companion::core
