#pragma once
// Small UTF-8 helpers shared by the extractors and the chunker. They never read past the
// end of the input and treat a malformed byte as a one-byte character, so hostile text can
// only make results odd, never crash.
#include <cstddef>
#include <string>
#include <string_view>

namespace companion::core {

struct DecodedChar {
  char32_t code_point = 0;
  std::size_t length = 1;  // bytes consumed, at least 1
  bool valid = true;
};

// Decodes the character starting at `pos` (pos < text.size()).
DecodedChar decode_utf8_at(std::string_view text, std::size_t pos);

// True when every byte sequence is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

// A copy in which every malformed byte is replaced by U+FFFD, so text from a lenient
// parser is safe to store and to serialise as JSON.
std::string repair_utf8(std::string_view text);

// Appends the UTF-8 encoding of `code_point`; invalid code points become U+FFFD.
void append_utf8(std::string& out, char32_t code_point);

// Unicode spaces that separate words: ASCII whitespace, NBSP, the U+2000 block, ideographic.
bool is_unicode_space(char32_t code_point);

}  // namespace companion::core
