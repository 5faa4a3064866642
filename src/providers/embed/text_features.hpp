#pragma once
// Turns a text into weighted, hashed features for the local embedder:
//  - the lemma of every content word ("bought" → buy), so inflections meet;
//  - bigrams of neighbouring lemmas, so word order counts a little;
//  - character 3–5-grams of each word, so typos and unknown inflections still overlap;
//  - WordNet synonyms and up to three levels of hypernyms, weaker with each level, so
//    "kayak" carries canoe, small boat and boat and meets a question about boats.
// Each word's expansions share a fixed weight budget however many terms WordNet returns,
// so a word with forty senses does not outweigh one with a single sense.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/embedding/lexicon.hpp"

namespace companion::providers::embed {

struct FeatureWeights {
  float lemma = 1.0f;
  float other_lemma = 0.6f;  // the less common readings ("running" as a noun)
  float bigram = 0.5f;
  float char_ngrams = 0.4f;  // for all of one word's n-grams together
  float synonyms = 0.4f;     // for all of one word's synonyms together
  std::array<float, 3> hypernym_levels = {0.7f, 0.5f, 0.4f};
  float compound_head = 0.5f;  // "boat" in "small boat", relative to the compound
};

// Feature hash → summed weight, sorted by hash with no repeats.
using FeatureBag = std::vector<std::pair<std::uint64_t, float>>;

class FeatureExtractor {
 public:
  // `lexicon` may be null: then words stand for themselves and nothing is expanded.
  explicit FeatureExtractor(std::shared_ptr<const core::Lexicon> lexicon,
                            FeatureWeights weights = {});

  FeatureBag extract(std::string_view text) const;

 private:
  // Adds one word's features; answers the lemma its bigrams use.
  std::string add_word(FeatureBag& bag, const std::string& word) const;
  void add_expansions(FeatureBag& bag, const core::LexicalEntry& entry) const;

  std::shared_ptr<const core::Lexicon> lexicon_;
  FeatureWeights weights_;
};

}  // namespace companion::providers::embed
