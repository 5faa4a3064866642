#include "core/embedding/tokenizer.hpp"

#include <array>
#include <utility>

namespace companion::core {

namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one UTF-8 character at `pos`; `length` is how many bytes it used (at least 1).
// Overlong forms, surrogates and truncated sequences decode as kInvalid.
char32_t decode_at(std::string_view s, std::size_t pos, std::size_t& length) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(pos);
  length = 1;
  if (lead < 0x80) return lead;
  std::size_t extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  if (extra == 0 || lead > 0xF4 || pos + extra >= s.size()) return kInvalid;
  char32_t cp = lead & (0x3F >> extra);
  for (std::size_t i = 1; i <= extra; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return kInvalid;
    cp = (cp << 6) | (byte(pos + i) & 0x3F);
  }
  static constexpr std::array<char32_t, 4> minimum = {0, 0x80, 0x800, 0x10000};
  if (cp < minimum[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalid;
  length = extra + 1;
  return cp;
}

bool is_apostrophe(char32_t c) {
  return c == U'\'' || c == U'\u2019' || c == U'\u02BC';
}

// Letters and digits of any script. Outside ASCII the test is by exclusion: the blocks of
// punctuation, symbols, spaces and emoji separate words, everything else belongs to one.
// That needs no Unicode tables and errs toward keeping a character.
bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (c == kInvalid) return false;
  if (c <= 0xBF) return c == 0xAA || c == 0xB5 || c == 0xBA;  // ª µ º are letters
  if (c == 0xD7 || c == 0xF7) return false;                   // × ÷
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // punctuation, symbols, arrows, math, dingbats
  if (c >= 0x2E00 && c <= 0x2E7F) return false;  // supplemental punctuation
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK symbols and punctuation
  if (c >= 0xFE00 && c <= 0xFE0F) return false;  // variation selectors
  if (c >= 0xFE30 && c <= 0xFE4F) return false;  // CJK compatibility forms
  if (c >= 0xFF00 && c <= 0xFF0F) return false;  // fullwidth punctuation
  if (c >= 0xFF1A && c <= 0xFF20) return false;
  if (c >= 0xFF3B && c <= 0xFF40) return false;
  if (c >= 0xFF5B && c <= 0xFF65) return false;
  if (c == 0xFEFF || c == 0xFFFD) return false;    // byte-order mark, replacement character
  if (c >= 0x1F000 && c <= 0x1FAFF) return false;  // emoji and pictographs
  return true;
}

// Lower-cases the cased scripts people mostly write in (Latin, Greek, Cyrillic, Armenian);
// other characters pass through unchanged.
char32_t to_lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0xC0) return c;
  if (c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x137 && c % 2 == 0) return c + 1;
  if (c >= 0x139 && c <= 0x148 && c % 2 == 1) return c + 1;
  if (c >= 0x14A && c <= 0x177 && c % 2 == 0) return c + 1;
  if (c == 0x178) return 0xFF;
  if (c >= 0x179 && c <= 0x17E && c % 2 == 1) return c + 1;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x460 && c <= 0x4FF && c % 2 == 0 && !(c >= 0x482 && c <= 0x489)) return c + 1;
  if (c >= 0x531 && c <= 0x556) return c + 48;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Splits a word that contains an apostrophe (already normalised to ') into what it stands
// for. Words whose apostrophe is not a known clitic ("o'clock") are kept whole.
void push_contraction(std::vector<std::string>& out, std::string word) {
  if (ends_with(word, "n't")) {
    std::string base = word.substr(0, word.size() - 3);
    if (base == "ca") base = "can";
    if (base == "wo") base = "will";
    if (base == "sha") base = "shall";
    if (base == "ai") base = "be";
    out.push_back(std::move(base));
    out.emplace_back("not");
    return;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> clitics = {
      {{"'s", ""},
       {"'m", "am"},
       {"'re", "are"},
       {"'ve", "have"},
       {"'ll", "will"},
       {"'d", "would"}}};
  for (auto [suffix, expansion] : clitics) {
    if (!ends_with(word, suffix)) continue;
    out.push_back(word.substr(0, word.size() - suffix.size()));
    if (!expansion.empty()) out.emplace_back(expansion);
    return;
  }
  out.push_back(std::move(word));
}

}  // namespace

std::vector<std::string> tokenize_words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  bool has_apostrophe = false;
  auto flush = [&] {
    if (word.empty()) return;
    if (has_apostrophe) {
      push_contraction(out, std::move(word));
    } else {
      out.push_back(std::move(word));
    }
    word.clear();
    has_apostrophe = false;
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length = 1;
    char32_t c = decode_at(text, pos, length);
    if (is_word_char(c)) {
      append_utf8(word, to_lower(c));
    } else if (is_apostrophe(c) && !word.empty()) {
      // Inside a word only: a quote mark before or after a word is punctuation.
      std::size_t next_length = 1;
      std::size_t next = pos + length;
      if (next < text.size() && is_word_char(decode_at(text, next, next_length))) {
        word += '\'';
        has_apostrophe = true;
      } else {
        flush();
      }
    } else {
      flush();
    }
    pos += length;
  }
  flush();
  return out;
}

}  // namespace companion::core
