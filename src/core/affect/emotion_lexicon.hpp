#pragma once
// The hand-written word list of the emotion analyzer: words, stems ("terrif" for terrified,
// terrifying) and phrases ("can't wait", "fed up", "miss you", "scared of"), each with its
// weight per feeling and its valence, plus the emoji and emoticons of emoji_cues. Built once;
// every lookup is const and allocation-free.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/affect/feeling.hpp"
#include "core/affect/phrase_table.hpp"

namespace companion::core {

class EmotionLexicon {
 public:
  EmotionLexicon();

  // The cue of one word: as written, else in a regular base form ("cried" → "cry",
  // "happiest" → "happy", "sadly" → "sad"), else by a listed stem. Null when none.
  const EmotionCue* find_word(std::string_view word) const;
  // Phrases of two or more words.
  const PhraseTable<EmotionCue>& phrases() const { return phrases_; }
  // An emoji (one code point in UTF-8) or an emoticon as written.
  const EmotionCue* find_symbol(std::string_view symbol) const;

  // Whether the word appears in the list in any form: used to tell "sooo" (so) from
  // "goood" (good) when undoing elongation.
  bool knows(std::string_view word) const;

  std::size_t entry_count() const;

 private:
  using CueMap = std::unordered_map<std::string, EmotionCue, StringHash, std::equal_to<>>;

  const EmotionCue* find_exact(std::string_view word) const;
  const EmotionCue* find_by_stem(std::string_view word) const;

  CueMap words_;
  CueMap stems_;
  CueMap symbols_;
  PhraseTable<EmotionCue> phrases_;
};

}  // namespace companion::core
