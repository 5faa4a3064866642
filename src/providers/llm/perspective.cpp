#include "providers/llm/perspective.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace companion::providers::llm {

namespace {

// One word with the punctuation around it: "(Maya," → lead "(", word "Maya", trail ",".
struct Token {
  std::string lead;
  std::string word;
  std::string trail;
  std::string lower() const {
    constexpr std::string_view typographic_apostrophe = "\u2019";
    std::string out;
    for (std::size_t i = 0; i < word.size(); ++i) {
      // Typographic apostrophes read as straight ones: "I\u2019m" is "i'm".
      if (std::string_view(word).substr(i, 3) == typographic_apostrophe) {
        out += '\'';
        i += 2;
        continue;
      }
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(word[i])));
    }
    return out;
  }
};

std::vector<Token> split(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    if (raw.empty()) continue;
    Token token;
    std::size_t first = 0;
    while (first < raw.size() && std::strchr("(\"'[", raw[first])) ++first;
    std::size_t last = raw.size();
    while (last > first && std::strchr(".,;:!?)\"]", raw[last - 1])) --last;
    token.lead = raw.substr(0, first);
    token.word = raw.substr(first, last - first);
    token.trail = raw.substr(last);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

std::string join(const std::vector<Token>& tokens) {
  std::string out;
  for (const auto& token : tokens) {
    if (token.lead.empty() && token.word.empty() && token.trail.empty()) continue;
    if (!out.empty()) out += ' ';
    out += token.lead + token.word + token.trail;
  }
  return out;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Words that may stand between a subject and its verb: "User also likes…".
bool is_adverb(std::string_view word) {
  return one_of(
      word,
      {"also",       "really",     "often",  "usually",    "always",   "never",      "sometimes",
       "still",      "recently",   "just",   "currently",  "now",      "mostly",     "actually",
       "already",    "frequently", "rarely", "definitely", "probably", "absolutely", "truly",
       "especially", "finally",    "only",   "even",       "generally"});
}

bool is_vowel(char c) {
  return std::strchr("aeiou", c) != nullptr;
}

// "likes" → "like": the verb after "you".
std::string plain_form(const std::string& verb) {
  static const std::vector<std::pair<std::string_view, std::string_view>> irregular = {
      {"is", "are"},        {"was", "were"},     {"has", "have"},       {"does", "do"},
      {"doesn't", "don't"}, {"isn't", "aren't"}, {"wasn't", "weren't"}, {"hasn't", "haven't"},
      {"goes", "go"},       {"'s", "'re"}};
  for (const auto& [from, to] : irregular)
    if (verb == from) return std::string(to);
  auto ends = [&](std::string_view suffix) { return verb.ends_with(suffix); };
  if (verb.size() > 4 && ends("ies")) return verb.substr(0, verb.size() - 3) + "y";
  for (auto suffix : {"sses", "shes", "ches", "xes", "zes", "oes"})
    if (ends(suffix)) return verb.substr(0, verb.size() - 2);
  if (verb.size() > 2 && ends("s") && !ends("ss") && !ends("us") && !ends("'s"))
    return verb.substr(0, verb.size() - 1);
  return verb;
}

bool is_past_or_modal(std::string_view verb) {
  if (verb.ends_with("ed")) return true;
  return one_of(
      verb,
      {"will",    "would",  "can",   "could",    "should",   "shall",     "may",        "might",
       "must",    "was",    "went",  "bought",   "had",      "did",       "didn't",     "got",
       "made",    "saw",    "met",   "took",     "came",     "gave",      "found",      "told",
       "said",    "felt",   "left",  "lost",     "won",      "ran",       "wrote",      "knew",
       "thought", "began",  "broke", "chose",    "drove",    "ate",       "fell",       "forgot",
       "grew",    "heard",  "kept",  "led",      "paid",     "sold",      "sent",       "sat",
       "slept",   "spoke",  "spent", "stood",    "swam",     "taught",    "understood", "woke",
       "wore",    "became", "built", "caught",   "flew",     "held",      "meant",      "rode",
       "sang",    "threw",  "put",   "read",     "cut",      "hit",       "let",        "set",
       "quit",    "can't",  "won't", "wouldn't", "couldn't", "shouldn't", "used"});
}

// "like" → "likes": the verb after "User".
std::string third_person_form(const std::string& verb) {
  if (verb == "am" || verb == "'m") return "is";
  if (verb == "are") return "is";
  if (verb == "have") return "has";
  if (verb == "do") return "does";
  if (verb == "don't") return "doesn't";
  if (verb == "go") return "goes";
  if (is_past_or_modal(verb) || verb.empty()) return verb;
  auto ends = [&](std::string_view suffix) { return verb.ends_with(suffix); };
  if (verb.size() > 1 && ends("y") && !is_vowel(verb[verb.size() - 2]))
    return verb.substr(0, verb.size() - 1) + "ies";
  if (ends("s") || ends("sh") || ends("ch") || ends("x") || ends("z") || ends("o"))
    return verb + "es";
  return verb + "s";
}

bool starts_clause(const std::vector<Token>& tokens, std::size_t index) {
  if (index == 0) return true;
  const Token& previous = tokens[index - 1];
  if (!previous.trail.empty()) return true;
  return one_of(previous.lower(), {"and", "but", "that", "if", "when", "because", "so", "or",
                                   "while", "since", "though", "although"});
}

}  // namespace

std::string capitalise_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string lowercase_first(std::string text) {
  auto space = text.find(' ');
  std::string first = text.substr(0, space);
  for (char& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!first.empty() && std::strchr(",.;:!?", first.back())) first.pop_back();
  // Only words that are never names: "Maya is…" keeps its capital.
  if (one_of(first, {"you",     "your", "you're",     "you've",  "you'll", "you'd",     "yours",
                     "the",     "a",    "an",         "it",      "it's",   "its",       "there",
                     "there's", "this", "that",       "these",   "those",  "we",        "we're",
                     "our",     "they", "they're",    "their",   "today",  "yesterday", "tomorrow",
                     "my",      "he",   "she",        "his",     "her",    "so",        "and",
                     "but",     "work", "everything", "nothing", "some",   "all",       "what",
                     "how"})) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::string third_to_second_person(std::string_view fact) {
  auto tokens = split(fact);
  if (tokens.empty()) return "";
  auto is_user = [](const std::string& w) { return w == "user" || w == "user's" || w == "users'"; };
  bool about_user = is_user(tokens[0].lower()) ||
                    (tokens.size() > 1 && tokens[0].lower() == "the" && is_user(tokens[1].lower()));
  bool expect_verb = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Token& token = tokens[i];
    std::string word = token.lower();
    if (word == "the" && i + 1 < tokens.size() && is_user(tokens[i + 1].lower())) {
      token.word.clear();
    } else if (word == "user's" || word == "users'") {
      token.word = "your";
    } else if (word == "user") {
      token.word = "you";
      expect_verb = true;
      continue;
    } else if (expect_verb && is_adverb(word)) {
      continue;
    } else if (expect_verb) {
      token.word = plain_form(word);
    } else if (about_user && word == "their") {
      token.word = "your";
    } else if (about_user && word == "theirs") {
      token.word = "yours";
    } else if (about_user && (word == "themself" || word == "themselves")) {
      token.word = "yourself";
    } else if (about_user && word == "them") {
      token.word = "you";
    }
    expect_verb = false;
  }
  return capitalise_first(join(tokens));
}

std::string first_to_third_person(std::string_view statement) {
  auto tokens = split(statement);
  bool expect_verb = false;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Token& token = tokens[i];
    std::string word = token.lower();
    std::string subject = i == 0 ? "User" : "the user";
    bool was_expecting = expect_verb;
    expect_verb = false;
    if (word == "i") {
      token.word = subject;
      expect_verb = true;
    } else if (word == "i'm" || word == "im") {
      token.word = subject + " is";
    } else if (word == "i've") {
      token.word = subject + " has";
    } else if (word == "i'll") {
      token.word = subject + " will";
    } else if (word == "i'd") {
      token.word = subject + " would";
    } else if (word == "my") {
      token.word = i == 0 ? "User's" : "their";
    } else if (word == "me") {
      token.word = "them";
    } else if (word == "mine") {
      token.word = "theirs";
    } else if (word == "myself") {
      token.word = "themself";
    } else if (was_expecting && is_adverb(word)) {
      expect_verb = true;
    } else if (was_expecting) {
      token.word = third_person_form(word);
    }
  }
  return capitalise_first(join(tokens));
}

std::string first_to_second_person(std::string_view statement) {
  auto tokens = split(statement);
  enum class Subject { none, user, companion } previous = Subject::none;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Token& token = tokens[i];
    std::string word = token.lower();
    Subject subject = Subject::none;
    if (word == "i") {
      token.word = "you";
      subject = Subject::user;
    } else if (word == "i'm" || word == "im") {
      token.word = "you're";
    } else if (word == "i've") {
      token.word = "you've";
    } else if (word == "i'll") {
      token.word = "you'll";
    } else if (word == "i'd") {
      token.word = "you'd";
    } else if (word == "my") {
      token.word = "your";
    } else if (word == "mine") {
      token.word = "yours";
    } else if (word == "myself") {
      token.word = "yourself";
    } else if (word == "me" || word == "us") {
      token.word = "you";
    } else if (word == "we") {
      token.word = "you";
      subject = Subject::user;
    } else if (word == "we're") {
      token.word = "you're";
    } else if (word == "we've") {
      token.word = "you've";
    } else if (word == "we'll") {
      token.word = "you'll";
    } else if (word == "we'd") {
      token.word = "you'd";
    } else if (word == "our") {
      token.word = "your";
    } else if (word == "ours") {
      token.word = "yours";
    } else if (word == "ourselves") {
      token.word = "yourselves";
    } else if (word == "you") {
      bool as_subject = starts_clause(tokens, i);
      token.word = as_subject ? "I" : "me";
      if (as_subject) subject = Subject::companion;
    } else if (word == "your") {
      token.word = "my";
    } else if (word == "yours") {
      token.word = "mine";
    } else if (word == "yourself") {
      token.word = "myself";
    } else if (word == "you're") {
      token.word = "I'm";
    } else if (word == "you've") {
      token.word = "I've";
    } else if (word == "you'll") {
      token.word = "I'll";
    } else if (word == "you'd") {
      token.word = "I'd";
    } else if (previous == Subject::user && word == "am") {
      token.word = "are";
    } else if (previous == Subject::user && word == "was") {
      token.word = "were";
    } else if (previous == Subject::companion && word == "are") {
      token.word = "am";
    } else if (previous == Subject::companion && word == "were") {
      token.word = "was";
    }
    previous = subject;
  }
  return join(tokens);
}

}  // namespace companion::providers::llm
