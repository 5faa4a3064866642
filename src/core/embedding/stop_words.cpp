#include "core/embedding/stop_words.hpp"

#include <string>
#include <unordered_set>

namespace companion::core {

namespace {

// The classic SMART/NLTK core list, plus the words the tokenizer produces from
// contractions ("not", "am", "will", "would").
const std::unordered_set<std::string_view>& stop_words() {
  static const std::unordered_set<std::string_view> words = {
      "a",         "about",      "above",   "after",    "again",     "against", "all",    "also",
      "am",        "an",         "and",     "any",      "are",       "as",      "at",     "be",
      "because",   "been",       "before",  "being",    "below",     "between", "both",   "but",
      "by",        "can",        "could",   "did",      "do",        "does",    "doing",  "down",
      "during",    "each",       "else",    "ever",     "few",       "for",     "from",   "further",
      "get",       "got",        "had",     "has",      "have",      "having",  "he",     "her",
      "here",      "hers",       "herself", "him",      "himself",   "his",     "how",    "i",
      "if",        "in",         "into",    "is",       "it",        "its",     "itself", "just",
      "let",       "may",        "me",      "might",    "more",      "most",    "much",   "must",
      "my",        "myself",     "no",      "nor",      "not",       "now",     "of",     "off",
      "on",        "once",       "only",    "or",       "other",     "ought",   "our",    "ours",
      "ourselves", "out",        "over",    "own",      "same",      "shall",   "she",    "should",
      "so",        "some",       "such",    "than",     "that",      "the",     "their",  "theirs",
      "them",      "themselves", "then",    "there",    "these",     "they",    "this",   "those",
      "through",   "to",         "too",     "under",    "until",     "up",      "us",     "very",
      "was",       "we",         "were",    "what",     "when",      "where",   "which",  "while",
      "who",       "whom",       "whose",   "why",      "will",      "with",    "would",  "yet",
      "you",       "your",       "yours",   "yourself", "yourselves"};
  return words;
}

}  // namespace

bool is_stop_word(std::string_view word) {
  return stop_words().count(word) != 0;
}

}  // namespace companion::core
