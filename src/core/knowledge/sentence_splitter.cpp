#include "core/knowledge/sentence_splitter.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "core/knowledge/utf8_text.hpp"

namespace companion::core {

namespace {

bool is_space_at(std::string_view text, std::size_t pos) {
  return is_unicode_space(decode_utf8_at(text, pos).code_point);
}

bool is_terminal(char32_t c) {
  return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

// Full stops of scripts that write no space after them end a sentence on their own.
bool is_spaceless_terminal(char32_t c) {
  return c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}

bool is_closer(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 || c == 0xBB;
}

// A blank line (newline, optional spaces, newline) starting at `pos`; returns its end.
std::size_t paragraph_break_end(std::string_view text, std::size_t pos) {
  if (text[pos] != '\n') return 0;
  std::size_t i = pos + 1;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
  return i < text.size() && text[i] == '\n' ? i + 1 : 0;
}

// The word just before a '.' at `dot`, lower-cased, e.g. "dr" or "e.g".
std::string word_before(std::string_view text, std::size_t dot) {
  std::size_t begin = dot;
  while (begin > 0 && !std::isspace(static_cast<unsigned char>(text[begin - 1])) &&
         text[begin - 1] != '(' && text[begin - 1] != '"') {
    --begin;
  }
  std::string word(text.substr(begin, dot - begin));
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return word;
}

bool is_abbreviation(std::string_view text, std::size_t dot) {
  static constexpr std::array<std::string_view, 22> kAbbreviations = {
      "mr", "mrs", "ms", "dr", "prof", "sr",     "jr", "st",   "vs", "e.g", "i.e",
      "cf", "fig", "no", "nr", "vol",  "approx", "ca", "resp", "mt", "ft",  "ave"};
  const std::string word = word_before(text, dot);
  if (word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]))) return true;
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), word) != kAbbreviations.end();
}

// After "approx. five" or "e.g. the" a lower-case word continues the sentence.
bool next_word_is_lowercase(std::string_view text, std::size_t pos) {
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  return pos < text.size() && std::islower(static_cast<unsigned char>(text[pos]));
}

class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}

  std::vector<TextSpan> run() {
    std::size_t pos = 0;
    while (pos < text_.size()) {
      if (const std::size_t after = paragraph_break_end(text_, pos)) {
        close_at(pos);
        pos = after;
        continue;
      }
      const auto decoded = decode_utf8_at(text_, pos);
      if (is_spaceless_terminal(decoded.code_point)) {
        pos = skip_closers(pos + decoded.length);
        close_at(pos);
      } else if (is_terminal(decoded.code_point)) {
        pos = end_of_terminal_run(pos);
        if (ends_sentence(pos, decoded.code_point)) close_at(pos);
      } else {
        pos += decoded.length;
      }
    }
    close_at(text_.size());
    return std::move(spans_);
  }

 private:
  std::size_t skip_closers(std::size_t pos) const {
    while (pos < text_.size()) {
      const auto decoded = decode_utf8_at(text_, pos);
      if (!is_closer(decoded.code_point)) break;
      pos += decoded.length;
    }
    return pos;
  }

  // "?!", "...", "." followed by closing quotes or brackets.
  std::size_t end_of_terminal_run(std::size_t pos) const {
    while (pos < text_.size()) {
      const auto decoded = decode_utf8_at(text_, pos);
      if (!is_terminal(decoded.code_point)) break;
      pos += decoded.length;
    }
    return skip_closers(pos);
  }

  bool ends_sentence(std::size_t after, char32_t terminal) const {
    if (after < text_.size() && !is_space_at(text_, after)) return false;  // "3.5", "a.b"
    if (terminal != '.') return true;
    const std::size_t dot = text_.rfind('.', after - 1);
    if (is_abbreviation(text_, dot)) return false;
    return !next_word_is_lowercase(text_, after);
  }

  // Ends the current sentence at `end` (exclusive), trimming whitespace on both sides.
  void close_at(std::size_t end) {
    std::size_t begin = start_;
    while (begin < end && is_space_at(text_, begin)) begin += decode_utf8_at(text_, begin).length;
    std::size_t last = end;
    while (last > begin && std::isspace(static_cast<unsigned char>(text_[last - 1]))) --last;
    if (last > begin) spans_.push_back({begin, last});
    start_ = end;
  }

  std::string_view text_;
  std::size_t start_ = 0;
  std::vector<TextSpan> spans_;
};

}  // namespace

std::vector<TextSpan> split_sentences(std::string_view text) {
  return Splitter(text).run();
}

}  // namespace companion::core
