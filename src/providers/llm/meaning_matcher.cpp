#include "providers/llm/meaning_matcher.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <utility>

#include "core/embedding/stop_words.hpp"
#include "core/embedding/tokenizer.hpp"

namespace companion::providers::llm {

namespace {

struct Concept {
  std::string_view key;
  double weight;
};

// Everyday meanings that memories and questions phrase differently ("where do I work?" /
// "User works at Acme"). Known without a lexicon, so recall works without WordNet too.
const std::unordered_map<std::string_view, Concept>& concepts() {
  static const std::unordered_map<std::string_view, Concept> table = [] {
    std::unordered_map<std::string_view, Concept> t;
    auto add = [&](Concept c, std::initializer_list<std::string_view> words) {
      for (auto w : words) t.emplace(w, c);
    };
    add({"@like", 0.6},
        {"like", "likes", "liked", "love", "loves", "loved", "enjoy", "enjoys", "enjoyed", "adore",
         "adores", "fan", "favorite", "favourite", "prefer", "prefers", "preferred"});
    add({"@dislike", 0.8}, {"dislike", "dislikes", "hate", "hates", "hated", "detest"});
    add({"@work", 1}, {"work", "works", "worked", "working", "job", "jobs", "employer", "company",
                       "occupation", "profession", "career", "employed", "living"});
    add({"@home", 1},
        {"live", "lives", "lived", "home", "reside", "resides", "address", "hometown", "located"});
    add({"@birthday", 1}, {"birthday", "born", "birth", "birthdate"});
    add({"@name", 0.3}, {"name", "named", "names", "call", "called", "calls"});
    add({"@plan", 0.6}, {"plan", "plans", "planning", "planned", "going", "intend", "intends"});
    add({"@allergy", 1}, {"allergic", "allergy", "allergies"});
    add({"@study", 1},
        {"study", "studies", "studying", "student", "school", "university", "college", "major"});
    add({"@age", 1}, {"age", "old"});
    add({"@pet", 1}, {"pet", "pets", "dog", "dogs", "cat", "cats", "puppy", "kitten"});
    return t;
  }();
  return table;
}

// Words that say what the conversation is doing, not what it is about.
bool is_conversation_word(std::string_view word) {
  static constexpr std::string_view words[] = {
      "user",      "users", "remember", "recall", "know",   "tell",   "told",     "mention",
      "mentioned", "say",   "said",     "think",  "please", "really", "actually", "anything",
      "something", "thing", "things",   "stuff",  "kind",   "sort",   "type",     "again",
      "yes",       "okay",  "ok",       "hey",    "hi"};
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

// Weak words: they narrow a question down but answer nothing on their own.
double word_weight(std::string_view word) {
  static constexpr std::string_view weak[] = {"favorite", "favourite", "lot", "much",  "many",
                                              "way",      "time",      "day", "today", "new"};
  return std::find(std::begin(weak), std::end(weak), word) != std::end(weak) ? 0.4 : 1.0;
}

bool has_digit(std::string_view word) {
  return std::any_of(word.begin(), word.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Suffix stripping for when no lexicon knows the word; both sides get the same treatment,
// so "sisters" and "sister" meet even when the stem is not a word.
std::string crude_stem(std::string word) {
  auto ends = [&](std::string_view suffix) { return word.ends_with(suffix); };
  if (word.size() > 4 && ends("ies")) return word.substr(0, word.size() - 3) + "y";
  if (word.size() > 5 && ends("ing")) return word.substr(0, word.size() - 3);
  if (word.size() > 4 && ends("ed")) return word.substr(0, word.size() - 2);
  if (word.size() > 3 && ends("s") && !ends("ss") && !ends("us") && !ends("is"))
    return word.substr(0, word.size() - 1);
  return word;
}

double term_match(const Term& question, const Term& candidate) {
  if (question.key == candidate.key || question.lemma == candidate.lemma) return 1.0;
  if (question.number || candidate.number) return 0.0;
  auto mentions = [](const Term& term, const std::string& word) {
    return std::find(term.related.begin(), term.related.end(), word) != term.related.end();
  };
  if (mentions(candidate, question.lemma) || mentions(question, candidate.lemma)) return 0.7;
  return 0.0;
}

}  // namespace

MeaningMatcher::MeaningMatcher(std::shared_ptr<const core::Lexicon> lexicon)
    : lexicon_(lexicon && lexicon->available() ? std::move(lexicon) : nullptr) {}

std::string MeaningMatcher::dictionary_form(const std::string& word) const {
  if (lexicon_) {
    auto entry = lexicon_->lookup(word);
    if (entry->known()) return entry->lemmas.front();
  }
  return crude_stem(word);
}

std::vector<std::string> MeaningMatcher::related_terms(const std::string& lemma) const {
  std::vector<std::string> related;
  if (!lexicon_) return related;
  auto entry = lexicon_->lookup(lemma);
  auto add = [&](const core::RelatedTerm& term) {
    if (term.salience < 0.5f) return;
    related.push_back(term.term);
    // The head of an English compound is its last word: "small boat" is a boat.
    auto space = term.term.rfind(' ');
    if (space != std::string::npos) related.push_back(term.term.substr(space + 1));
  };
  for (const auto& synonym : entry->synonyms) add(synonym);
  for (std::size_t level = 0; level < entry->hypernyms.size() && level < 3; ++level)
    for (const auto& hypernym : entry->hypernyms[level]) add(hypernym);
  return related;
}

std::vector<Term> MeaningMatcher::terms(std::string_view text) const {
  std::vector<Term> out;
  for (const std::string& word : core::tokenize_words(text)) {
    if (core::is_stop_word(word) || is_conversation_word(word)) continue;
    Term term;
    term.number = has_digit(word);
    term.lemma = term.number ? word : dictionary_form(word);
    auto found = concepts().find(word);
    if (found == concepts().end()) found = concepts().find(term.lemma);
    if (found != concepts().end()) {
      term.key = std::string(found->second.key);
      term.weight = found->second.weight;
    } else {
      term.key = term.lemma;
      term.weight = word_weight(word);
    }
    if (!term.number) term.related = related_terms(term.lemma);
    bool seen =
        std::any_of(out.begin(), out.end(), [&](const Term& t) { return t.key == term.key; });
    if (!seen) out.push_back(std::move(term));
  }
  return out;
}

MeaningMatch MeaningMatcher::match(const std::vector<Term>& question,
                                   const std::vector<Term>& candidate) const {
  MeaningMatch result;
  double total = 0;
  double found = 0;
  for (const Term& asked : question) {
    double best = 0;
    for (const Term& offered : candidate) best = std::max(best, term_match(asked, offered));
    total += asked.weight;
    found += asked.weight * best;
    if (asked.weight >= 0.6) result.strongest = std::max(result.strongest, best);
    if (asked.weight >= 0.6 && !asked.key.starts_with('@'))
      result.topic = std::max(result.topic, best);
  }
  result.score = total > 0 ? found / total : 0;
  return result;
}

bool answers(const MeaningMatch& match, double minimum_score) {
  return match.strongest >= 0.7 && match.score >= minimum_score;
}

}  // namespace companion::providers::llm
