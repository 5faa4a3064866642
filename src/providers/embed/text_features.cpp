#include "providers/embed/text_features.hpp"

#include <algorithm>
#include <cmath>

#include "core/embedding/stable_hash.hpp"
#include "core/embedding/stop_words.hpp"
#include "core/embedding/tokenizer.hpp"

namespace companion::providers::embed {

namespace {

// Namespaces keep a word, a bigram and a character n-gram with equal text apart. Lemmas,
// synonyms and hypernyms share one namespace on purpose: that is where "boat" the word
// meets "boat" the hypernym of kayak.
enum class Kind : char { Word = 'w', Bigram = 'b', CharGram = 'c' };

std::uint64_t feature_key(Kind kind, std::string_view text) {
  char tag = static_cast<char>(kind);
  return core::mix64(core::fnv1a_append(core::fnv1a_append(core::kFnvOffset, {&tag, 1}), text));
}

void add(FeatureBag& bag, Kind kind, std::string_view text, float weight) {
  bag.emplace_back(feature_key(kind, text), weight);
}

// Byte offsets where each UTF-8 character starts, so n-grams never cut a character.
std::vector<std::size_t> char_starts(std::string_view s) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  starts.push_back(s.size());
  return starts;
}

void add_char_ngrams(FeatureBag& bag, const std::string& word, float budget) {
  std::string marked = "<" + word + ">";  // word edges make prefixes and suffixes count
  auto starts = char_starts(marked);
  std::size_t chars = starts.size() - 1;
  std::vector<std::string_view> grams;
  for (std::size_t n = 3; n <= 5; ++n)
    for (std::size_t i = 0; i + n <= chars; ++i)
      grams.push_back(std::string_view(marked).substr(starts[i], starts[i + n] - starts[i]));
  if (grams.empty()) return;
  float each = budget / std::sqrt(static_cast<float>(grams.size()));
  for (auto g : grams) add(bag, Kind::CharGram, g, each);
}

// A group of terms that shares `budget` (as an L2 norm) in proportion to their salience,
// with compounds also lending weight to their head word: "small boat" also says "boat".
void add_group(FeatureBag& bag, const std::vector<core::RelatedTerm>& terms, float budget,
               float head_share) {
  float sum_squares = 0;
  for (const auto& t : terms) sum_squares += t.salience * t.salience;
  if (sum_squares <= 0 || budget <= 0) return;
  float scale = budget / std::sqrt(sum_squares);
  for (const auto& t : terms) {
    float weight = scale * t.salience;
    add(bag, Kind::Word, t.term, weight);
    if (head_share <= 0) continue;
    if (auto space = t.term.rfind(' '); space != std::string::npos)
      add(bag, Kind::Word, std::string_view(t.term).substr(space + 1), weight * head_share);
  }
}

// Sorts by hash and sums repeats; the fixed order also makes the later float sums
// independent of how the features were produced.
void consolidate(FeatureBag& bag) {
  std::sort(bag.begin(), bag.end());
  std::size_t out = 0;
  for (std::size_t i = 0; i < bag.size(); ++i) {
    if (out > 0 && bag[out - 1].first == bag[i].first) {
      bag[out - 1].second += bag[i].second;
    } else {
      bag[out++] = bag[i];
    }
  }
  bag.resize(out);
}

std::vector<std::string> content_words(std::string_view text) {
  auto words = core::tokenize_words(text);
  std::vector<std::string> content;
  for (auto& w : words)
    if (!core::is_stop_word(w)) content.push_back(w);
  // A text of function words only ("what is it?") still says something.
  return content.empty() ? words : content;
}

}  // namespace

FeatureExtractor::FeatureExtractor(std::shared_ptr<const core::Lexicon> lexicon,
                                   FeatureWeights weights)
    : lexicon_(std::move(lexicon)), weights_(weights) {}

FeatureBag FeatureExtractor::extract(std::string_view text) const {
  FeatureBag bag;
  std::string previous;
  for (const auto& word : content_words(text)) {
    std::string lemma = add_word(bag, word);
    if (!previous.empty()) add(bag, Kind::Bigram, previous + " " + lemma, weights_.bigram);
    previous = std::move(lemma);
  }
  consolidate(bag);
  return bag;
}

std::string FeatureExtractor::add_word(FeatureBag& bag, const std::string& word) const {
  add_char_ngrams(bag, word, weights_.char_ngrams);
  auto entry = lexicon_ ? lexicon_->lookup(word) : nullptr;
  if (!entry || !entry->known()) {
    add(bag, Kind::Word, word, weights_.lemma);
    return word;
  }
  add(bag, Kind::Word, entry->lemmas.front(), weights_.lemma);
  for (std::size_t i = 1; i < entry->lemmas.size(); ++i)
    add(bag, Kind::Word, entry->lemmas[i], weights_.other_lemma);
  add_expansions(bag, *entry);
  return entry->lemmas.front();
}

void FeatureExtractor::add_expansions(FeatureBag& bag, const core::LexicalEntry& entry) const {
  add_group(bag, entry.synonyms, weights_.synonyms, 0);
  std::size_t levels = std::min(entry.hypernyms.size(), weights_.hypernym_levels.size());
  for (std::size_t level = 0; level < levels; ++level)
    add_group(bag, entry.hypernyms[level], weights_.hypernym_levels[level], weights_.compound_head);
}

}  // namespace companion::providers::embed
