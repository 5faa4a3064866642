#include "core/affect/affect_tokenizer.hpp"

#include <array>
#include <utility>

#include "core/affect/emoji_cues.hpp"
#include "core/knowledge/utf8_text.hpp"

namespace companion::core {

namespace {

bool is_ascii_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_digit(char32_t c) {
  return c >= '0' && c <= '9';
}
bool is_apostrophe(char32_t c) {
  return c == '\'' || c == 0x2019;
}

bool is_sentence_end(char32_t c) {
  return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x3002 || c == 0xFF01 ||
         c == 0xFF1F;
}

bool is_clause_mark(char32_t c) {
  return c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == 0x2014 || c == 0x2013 ||
         c == 0x3001 || c == 0xFF0C;
}

// Letters and digits of any script; punctuation, symbols and spaces separate words.
bool is_word_char(char32_t c) {
  if (c < 0x80) return is_ascii_letter(c) || is_ascii_digit(c);
  if (c <= 0xBF || c == 0xD7 || c == 0xF7) return false;  // Latin-1 punctuation and signs
  if (c >= 0x2000 && c <= 0x2BFF) return false;           // punctuation, arrows, symbols
  if (c >= 0x3000 && c <= 0x303F) return false;           // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE0F) return false;           // variation selectors
  if (c >= 0xFF00 && c <= 0xFF20) return false;           // full-width punctuation
  return !is_emoji(c) && !is_emoji_modifier(c) && !is_unicode_space(c);
}

std::string lower_ascii(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool is_all_caps(std::string_view word) {
  int upper = 0;
  for (const char c : word) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++upper;
  }
  return upper >= 2;
}

// Runs of three or more equal letters cut to `keep` letters.
std::string collapse_runs(std::string_view word, std::size_t keep) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t begin = 0; begin < word.size();) {
    std::size_t end = begin;
    while (end < word.size() && word[end] == word[begin]) ++end;
    const std::size_t length = end - begin;
    const bool elongated = length >= 3 && is_ascii_letter(static_cast<unsigned char>(word[begin]));
    out.append(elongated ? keep : length, word[begin]);
    begin = end;
  }
  return out;
}

bool has_long_run(std::string_view word) {
  for (std::size_t i = 2; i < word.size(); ++i) {
    if (word[i] == word[i - 1] && word[i] == word[i - 2] &&
        is_ascii_letter(static_cast<unsigned char>(word[i]))) {
      return true;
    }
  }
  return false;
}

// "haha", "hahahah", "ahaha", "hehe", "bwahaha": laughter, however long it is typed.
bool is_laughter(std::string_view word) {
  if (word.size() < 4) return false;
  int h = 0;
  int vowels = 0;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    if (c == 'h') {
      ++h;
    } else if (c == 'a' || c == 'e') {
      ++vowels;
    } else if (!(i == 0 && (c == 'b' || c == 'w')) && !(i == 1 && c == 'w')) {
      return false;
    }
  }
  return h >= 2 && vowels >= 2;
}

// Contractions and their common apostrophe-less spellings that end in a negation.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kNegativeContractions = {{
    {"cannot", "can"},    {"can't", "can"},       {"cant", "can"},    {"won't", "will"},
    {"wont", "will"},     {"ain't", "is"},        {"aint", "is"},     {"shan't", "shall"},
    {"dont", "do"},       {"didnt", "did"},       {"doesnt", "does"}, {"isnt", "is"},
    {"wasnt", "was"},     {"werent", "were"},     {"arent", "are"},   {"couldnt", "could"},
    {"wouldnt", "would"}, {"shouldnt", "should"}, {"havent", "have"}, {"hasnt", "has"},
    {"hadnt", "had"},     {"neednt", "need"},
}};

// "didn't" → "did"; empty when the word is no negative contraction.
std::string_view negated_base(std::string_view word) {
  for (const auto& [contraction, base] : kNegativeContractions) {
    if (word == contraction) return base;
  }
  if (word.size() > 3 && word.substr(word.size() - 3) == "n't") {
    return word.substr(0, word.size() - 3);
  }
  return {};
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  std::vector<AffectToken> run() {
    while (pos_ < text_.size()) {
      if (const std::size_t length = emoticon_length_at(text_, pos_)) {
        push_symbol(AffectTokenKind::emoticon, std::string(text_.substr(pos_, length)));
        pos_ += length;
        continue;
      }
      const DecodedChar decoded = decode_utf8_at(text_, pos_);
      const char32_t c = decoded.code_point;
      if (is_word_char(c)) {
        read_word();
      } else if (is_sentence_end(c) || is_clause_mark(c)) {
        read_punctuation();
      } else if (is_emoji(c)) {
        push_symbol(AffectTokenKind::emoji, std::string(text_.substr(pos_, decoded.length)));
        pos_ += decoded.length;
      } else {
        pos_ += decoded.length;  // spaces, quotes, hyphens, emoji modifiers
      }
    }
    return std::move(tokens_);
  }

 private:
  void read_word() {
    std::string word;
    while (pos_ < text_.size()) {
      const DecodedChar decoded = decode_utf8_at(text_, pos_);
      if (is_word_char(decoded.code_point)) {
        word.append(text_.substr(pos_, decoded.length));
      } else if (is_apostrophe(decoded.code_point) && !word.empty() &&
                 pos_ + decoded.length < text_.size() &&
                 is_ascii_letter(static_cast<unsigned char>(text_[pos_ + decoded.length]))) {
        word += '\'';
      } else {
        break;
      }
      pos_ += decoded.length;
    }
    push_word(word);
  }

  void push_word(std::string_view raw) {
    const bool caps = is_all_caps(raw);
    const std::string lower = lower_ascii(raw);
    if (const std::string_view base = negated_base(lower); !base.empty()) {
      push_word_part(base, caps);
      push_word_part("not", caps);
    } else {
      push_word_part(lower, caps);
    }
  }

  void push_word_part(std::string_view lower, bool caps) {
    AffectToken token;
    token.all_caps = caps;
    if (is_laughter(lower)) {
      token.text = "haha";
    } else if (has_long_run(lower)) {
      token.elongated = true;
      token.text = collapse_runs(lower, 2);
      token.shorter = collapse_runs(lower, 1);
    } else {
      token.text = std::string(lower);
    }
    tokens_.push_back(std::move(token));
  }

  void read_punctuation() {
    AffectToken token;
    token.kind = AffectTokenKind::punctuation;
    const std::size_t begin = pos_;
    while (pos_ < text_.size()) {
      const DecodedChar decoded = decode_utf8_at(text_, pos_);
      const char32_t c = decoded.code_point;
      if (!is_sentence_end(c) && !is_clause_mark(c)) break;
      if (emoticon_length_at(text_, pos_) > 0) break;  // "wow!:)" keeps its face
      if (is_sentence_end(c)) token.ends_sentence = true;
      if (c == '!' || c == 0xFF01) ++token.exclamations;
      if (c == '?' || c == 0xFF1F) ++token.questions;
      pos_ += decoded.length;
    }
    token.text = std::string(text_.substr(begin, pos_ - begin));
    tokens_.push_back(std::move(token));
  }

  void push_symbol(AffectTokenKind kind, std::string text) {
    AffectToken token;
    token.kind = kind;
    token.text = std::move(text);
    tokens_.push_back(std::move(token));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<AffectToken> tokens_;
};

}  // namespace

std::vector<AffectToken> tokenize_affect(std::string_view text) {
  return Tokenizer(text).run();
}

std::vector<std::string> affect_words(std::string_view entry) {
  std::vector<std::string> words;
  for (auto& token : tokenize_affect(entry)) {
    if (token.kind == AffectTokenKind::word) words.push_back(std::move(token.text));
  }
  return words;
}

}  // namespace companion::core
