#include "core/memory/word_stem.hpp"

#include <string_view>

namespace companion::core {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

bool is_ascii_word(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// "running" → "runn" → "run", "planned" → "plann" → "plan"; "ll", "ss" and "zz" stay
// ("falling" → "fall").
void undouble(std::string& s) {
  if (s.size() < 3) return;
  char last = s.back();
  if (last == s[s.size() - 2] && !is_vowel(last) && last != 'l' && last != 's' && last != 'z')
    s.pop_back();
}

}  // namespace

std::string stem_word(std::string w) {
  if (w.size() <= 3 || !is_ascii_word(w)) return w;
  // Plurals and third persons.
  if (ends_with(w, "ies") && w.size() > 4) {
    w.replace(w.size() - 3, 3, "i");
  } else if (ends_with(w, "sses")) {
    w.resize(w.size() - 2);
  } else if (ends_with(w, "s") && !ends_with(w, "ss") && !ends_with(w, "us") &&
             !ends_with(w, "is")) {
    w.pop_back();
  }
  // Participles and past tenses.
  if (ends_with(w, "ing") && w.size() > 5) {
    w.resize(w.size() - 3);
    undouble(w);
  } else if (ends_with(w, "ied") && w.size() > 4) {
    w.replace(w.size() - 3, 3, "i");
  } else if (ends_with(w, "ed") && w.size() > 4) {
    w.resize(w.size() - 2);
    undouble(w);
  }
  // A silent e and a final y, so "love"/"lov(ed)" and "city"/"citi(es)" meet.
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  if (w.size() > 3 && w.back() == 'y') w.back() = 'i';
  return w;
}

}  // namespace companion::core
