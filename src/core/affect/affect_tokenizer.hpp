#pragma once
// Splits a chat message into what carries feeling: words (lower-cased, remembering whether
// they were SHOUTED or sooo elongated), emoji, emoticons, and runs of punctuation (how many
// "!" and "?", and whether the run ends a sentence or only a clause). Negative contractions
// become two words, "didn't" → "did", "not" and "cant" → "can", "not", so that negation is
// always the word "not"; laughter of any length ("hahaha", "hehe") becomes "haha".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

enum class AffectTokenKind : std::uint8_t { word, emoji, emoticon, punctuation };

struct AffectToken {
  AffectTokenKind kind = AffectTokenKind::word;
  // word: lower case, with runs of three or more equal letters cut to two ("happyyy" →
  // "happyy"); emoji: its code point in UTF-8; emoticon and punctuation: as written.
  std::string text;
  // word: the same runs cut to one letter ("happy", "sooo" → "so"); empty unless elongated.
  std::string shorter;
  bool all_caps = false;  // a word of two or more letters, all upper case
  bool elongated = false;
  int exclamations = 0;        // punctuation: "!" in the run
  int questions = 0;           // punctuation: "?" in the run
  bool ends_sentence = false;  // punctuation: . ! ? … end a sentence; , ; : ( ) — a clause
};

std::vector<AffectToken> tokenize_affect(std::string_view text);

// The words of a list entry as the tokenizer would read them ("can't wait" → "can", "not",
// "wait"), so that entries and messages meet in one spelling.
std::vector<std::string> affect_words(std::string_view entry);

}  // namespace companion::core
