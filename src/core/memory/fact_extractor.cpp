#include "core/memory/fact_extractor.hpp"

#include <array>
#include <cctype>
#include <iterator>
#include <regex>
#include <sstream>

namespace companion::core {

namespace {

struct Pattern {
  std::regex regex;         // group 1: what the statement is about
  std::string_view format;  // "{}" is replaced by the cleaned group
  std::string_view category;
  double importance;
  std::string_view slot;
  std::size_t max_words;  // a name is a word or two; a plan may be a phrase
};

std::regex re(const char* text) {
  return std::regex(text, std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
}

// Importance reflects how long the fact stays useful: who the user is (name, birthday,
// home) outlasts what they like, which outlasts what they plan to do next.
const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> all = [] {
    std::vector<Pattern> p;
    p.push_back({re(R"(\b(?:my name is|call me|i am called|i'm called)\s+(.+))"),
                 "User's name is {}", "personal", 0.85, "name", 3});
    p.push_back({re(R"(\b(?:my birthday is(?: on)?|i was born on)\s+(.+))"),
                 "User's birthday is {}", "personal", 0.85, "birthday", 4});
    p.push_back(
        {re(R"(\b(?:i live in|i(?: have|'ve)?(?: just| recently)? moved to|i am living in|i'm living in)\s+(.+))"),
         "User lives in {}", "personal", 0.8, "location", 5});
    p.push_back({re(R"(\b(?:i work as|i'm working as|i am working as|my job is)\s+(.+))"),
                 "User works as {}", "work", 0.75, "job", 6});
    p.push_back(
        {re(R"(\b(?:i work (?:at|for))\s+(.+))"), "User works at {}", "work", 0.75, "employer", 6});
    p.push_back(
        {re(R"(\bmy ((?:sister|brother|mother|mom|mum|father|dad|wife|husband|son|daughter|partner|girlfriend|boyfriend|best friend|dog|cat)(?:'s name)?\s+(?:is called|is named|is)\s+.+))"),
         "User's {}", "relationships", 0.75, "", 6});
    p.push_back({re(R"(\bi (?:really )?(?:don't|do not) like\s+(.+))"), "User dislikes {}",
                 "preferences", 0.7, "", 8});
    p.push_back({re(R"(\bi (?:really )?(?:hate|dislike|can't stand|cannot stand)\s+(.+))"),
                 "User dislikes {}", "preferences", 0.7, "", 8});
    p.push_back({re(R"(\bi (?:really )?(?:love|adore)\s+(.+))"), "User loves {}", "preferences",
                 0.7, "", 8});
    p.push_back({re(R"(\bi (?:really )?(?:like|enjoy)\s+(.+))"), "User enjoys {}", "preferences",
                 0.7, "", 8});
    p.push_back({re(R"(\b(?:i'm|i am) (?:going to|planning to|about to)\s+(.+))"),
                 "User is going to {}", "context", 0.5, "", 10});
    p.push_back(
        {re(R"(\bi (?:plan|intend) to\s+(.+))"), "User plans to {}", "context", 0.5, "", 10});
    return p;
  }();
  return all;
}

// Words that end the object of a statement: "I love jazz but hate rap" is about jazz.
bool ends_clause(const std::string& lower_word) {
  static const std::array<std::string_view, 9> stops = {
      "but", "because", "and", "so", "though", "although", "which", "when", "since"};
  for (auto s : stops)
    if (lower_word == s) return true;
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "my" about the user reads as "their" once the fact is in the third person.
std::string third_person(const std::string& word) {
  auto l = lower(word);
  if (l == "my") return "their";
  if (l == "me" || l == "myself") return "them";
  return word;
}

// A pronoun that starts a clause of its own: "Maya and I'm so happy" is two statements.
bool starts_clause(const std::string& lower_word) {
  static const std::array<std::string_view, 16> subjects = {
      "i",  "i'm", "i've", "i'll", "i'd",  "im",  "we",    "we're",
      "he", "she", "they", "it",   "it's", "you", "there", "that's"};
  for (auto s : subjects)
    if (lower_word == s) return true;
  return false;
}

std::string clip_object(const std::string& text, std::size_t max_words, bool keep_conjunctions) {
  std::istringstream stream(text);
  std::vector<std::string> words{std::istream_iterator<std::string>(stream),
                                 std::istream_iterator<std::string>()};
  std::string out;
  std::size_t count = 0;
  for (std::size_t i = 0; i < words.size() && count < max_words; ++i) {
    std::string word = words[i];
    if (count > 0 && ends_clause(lower(word))) {
      // "Maya and Tom" stays one object where conjunctions are kept; "Maya and I'm …"
      // never does.
      bool new_clause = i + 1 < words.size() && starts_clause(lower(words[i + 1]));
      if (!keep_conjunctions || new_clause) break;
    }
    bool last = false;
    while (!word.empty() && std::string_view(",;:").find(word.back()) != std::string_view::npos) {
      word.pop_back();
      last = true;
    }
    if (!word.empty()) {
      if (!out.empty()) out += ' ';
      out += third_person(word);
      ++count;
    }
    if (last) break;
  }
  return out;
}

std::vector<std::string> sentences(std::string_view message) {
  std::vector<std::string> out;
  std::string current;
  for (char c : message) {
    if (c == '.' || c == '!' || c == '?' || c == '\n') {
      // A question asserts nothing about the user; drop it.
      if (c != '?' && !current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string normalise_apostrophes(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // U+2019 (right single quotation mark) is what phones type for an apostrophe.
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE2 &&
        static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x99) {
      out += '\'';
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string fill(std::string_view format, const std::string& object) {
  std::string out(format);
  auto at = out.find("{}");
  if (at != std::string::npos) out.replace(at, 2, object);
  return out;
}

}  // namespace

std::vector<ExtractedFact> extract_facts(std::string_view message) {
  std::vector<ExtractedFact> facts;
  for (const auto& sentence : sentences(normalise_apostrophes(message))) {
    for (const auto& p : patterns()) {
      // Every pattern gets its chance: "my name is Ana and I love jazz" states two facts.
      std::smatch m;
      if (!std::regex_search(sentence, m, p.regex)) continue;
      // Relationship statements carry their own "is" and must keep it.
      bool keep = p.category == "relationships";
      auto object = clip_object(m[1].str(), p.max_words, keep);
      if (object.empty()) continue;
      facts.push_back(
          {fill(p.format, object), std::string(p.category), p.importance, std::string(p.slot)});
    }
  }
  return facts;
}

std::string normalise_fact(std::string_view text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      if (space && !out.empty()) out += ' ';
      out += static_cast<char>(std::tolower(c));
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

}  // namespace companion::core
