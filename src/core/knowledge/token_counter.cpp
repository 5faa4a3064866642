#include "core/knowledge/token_counter.hpp"

#include "core/knowledge/utf8_text.hpp"

namespace companion::core {

namespace {

constexpr std::size_t kBytesPerWordToken = 16;

enum class CharClass { space, word, punctuation, ideograph };

CharClass classify(char32_t c) {
  if (is_unicode_space(c)) return CharClass::space;
  if (c < 0x80) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || c == '_' ? CharClass::word : CharClass::punctuation;
  }
  if (c < 0xC0 || (c >= 0x2000 && c <= 0x2BFF)) return CharClass::punctuation;  // symbols
  if (c >= 0x2E80) return CharClass::ideograph;
  return CharClass::word;  // accented Latin, Greek, Cyrillic, Arabic, Hebrew, …
}

// An apostrophe between letters belongs to the word ("don't", "O'Neil").
bool is_inner_apostrophe(std::string_view text, std::size_t pos) {
  if (text[pos] != '\'' || pos + 1 >= text.size()) return false;
  return classify(decode_utf8_at(text, pos + 1).code_point) == CharClass::word;
}

// Emits one word run [begin, end) as tokens of at most kBytesPerWordToken bytes, cut only
// at character boundaries.
void emit_word(std::string_view text, std::size_t begin, std::size_t end,
               const std::function<void(TokenSpan)>& visit) {
  std::size_t token_begin = begin;
  std::size_t pos = begin;
  while (pos < end) {
    const std::size_t next = pos + decode_utf8_at(text, pos).length;
    if (next - token_begin > kBytesPerWordToken && pos > token_begin) {
      visit({token_begin, pos});
      token_begin = pos;
    }
    pos = next;
  }
  visit({token_begin, end});
}

}  // namespace

void for_each_token(std::string_view text, const std::function<void(TokenSpan)>& visit) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto decoded = decode_utf8_at(text, pos);
    const CharClass cls = classify(decoded.code_point);
    if (cls == CharClass::space) {
      pos += decoded.length;
    } else if (cls == CharClass::word) {
      std::size_t end = pos + decoded.length;
      while (end < text.size()) {
        const auto next = decode_utf8_at(text, end);
        if (classify(next.code_point) != CharClass::word && !is_inner_apostrophe(text, end)) break;
        end += next.length;
      }
      emit_word(text, pos, end, visit);
      pos = end;
    } else {
      visit({pos, pos + decoded.length});
      pos += decoded.length;
    }
  }
}

std::size_t count_tokens(std::string_view text) {
  std::size_t count = 0;
  for_each_token(text, [&count](TokenSpan) { ++count; });
  return count;
}

}  // namespace companion::core
