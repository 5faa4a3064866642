#pragma once
// The port to a lexical database (WordNet in providers/embed): what a word's dictionary
// forms are, which words mean the same, and what more general things it is a kind of.
// The embedder uses it to make "kayak" meet "boat"; the emotion lexicon, the topic taxonomy
// and fact extraction can use it the same way.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

// A word related to the looked-up one, with how central the meaning that produced it is:
// 1 for the most common sense of the word's main reading, less for rarer senses ("shoe" as
// a verb, "buy" as "bribe"), so users can let common meanings dominate.
struct RelatedTerm {
  std::string term;
  float salience = 1.0f;
  bool operator==(const std::string& other) const { return term == other; }
};

struct LexicalEntry {
  // Dictionary forms, the most common reading first: "running" → {"run", "running"},
  // "ran" → {"run"}. Empty when the lexicon does not know the word.
  std::vector<std::string> lemmas;
  // Other words for the word's most common meanings; multiword terms use spaces
  // ("purchase", "small boat").
  std::vector<RelatedTerm> synonyms;
  // hypernyms[0] are direct generalisations ("kayak" → "canoe"), hypernyms[1] the next level
  // ("small boat"), and so on; a term appears only at the nearest level it is reached.
  std::vector<std::vector<RelatedTerm>> hypernyms;

  bool known() const { return !lemmas.empty(); }
};

class Lexicon {
 public:
  virtual ~Lexicon() = default;
  // False when no dictionary could be loaded; every word is then unknown.
  virtual bool available() const = 0;
  // How many hypernym levels lookup() fills in.
  virtual std::size_t hypernym_levels() const = 0;
  // Everything known of one lower-case word. Thread-safe.
  virtual std::shared_ptr<const LexicalEntry> lookup(std::string_view word) const = 0;

  // The most common dictionary form, or the word itself when unknown.
  std::string lemma(std::string_view word) const;
  std::vector<std::string> synonyms(std::string_view word) const;
  // Hypernyms of the first `levels` levels, nearest first.
  std::vector<std::string> hypernyms(std::string_view word, std::size_t levels) const;
};

}  // namespace companion::core
