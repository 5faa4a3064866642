#pragma once
// Splits page text into sentences for chunking. A sentence ends at . ! ? … (or the CJK
// full stops) followed by whitespace, and always at a paragraph break (a blank line).
// Single line breaks are soft: PDF text wraps lines inside sentences. Abbreviations and
// initials ("Dr. Smith", "J. R. Tolkien", "approx. five") do not end a sentence.
#include <cstddef>
#include <string_view>
#include <vector>

namespace companion::core {

struct TextSpan {
  std::size_t begin = 0;  // byte offsets into the split text, trimmed of whitespace
  std::size_t end = 0;
};

std::vector<TextSpan> split_sentences(std::string_view text);

}  // namespace companion::core
