#pragma once
// How much of a question's meaning a sentence carries, for picking the memory or the
// document sentence that answers it. Words are compared by meaning rather than spelling:
// dictionary forms ("works" meets "work"), a few everyday concepts the engine knows by
// itself ("job" meets "works as", "like" meets "enjoys", "name" meets "called"), and, with
// a lexicon, synonyms and hypernyms ("boat" meets "kayak"). Function words never count,
// so two sentences do not look alike merely because both are English.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedding/lexicon.hpp"

namespace companion::providers::llm {

struct Term {
  std::string key;                   // a concept ("@work") or the word's dictionary form ("sister")
  std::string lemma;                 // the dictionary form, also for concept words
  std::vector<std::string> related;  // the lexicon's synonyms and hypernyms (and their heads)
  double weight = 1;  // less for words that say little alone ("name", "kind", "like")
  bool number = false;
};

struct MeaningMatch {
  double score = 0;      // the weighted share of the question's terms found, in [0, 1]
  double strongest = 0;  // the best match of one weighty term: 1 same meaning, 0.7 related
  double topic = 0;      // the same, among the words no built-in concept covers ("sister")
};

class MeaningMatcher {
 public:
  // `lexicon` may be null or unavailable: words then meet by form and built-in concepts only.
  explicit MeaningMatcher(std::shared_ptr<const core::Lexicon> lexicon = nullptr);

  std::vector<Term> terms(std::string_view text) const;
  MeaningMatch match(const std::vector<Term>& question, const std::vector<Term>& candidate) const;

 private:
  std::string dictionary_form(const std::string& word) const;
  std::vector<std::string> related_terms(const std::string& lemma) const;

  std::shared_ptr<const core::Lexicon> lexicon_;
};

// Whether a match is good enough to answer with: most of the question is there, and at
// least one word that carries meaning matched, not only "name" or "kind".
bool answers(const MeaningMatch& match, double minimum_score = 0.5);

}  // namespace companion::providers::llm
