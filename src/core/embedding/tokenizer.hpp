#pragma once
// Splits text into lower-case words for embedding and token counting. Any script works:
// UTF-8 is decoded, letters and digits of every script form words, punctuation and symbols
// (ASCII, general punctuation, CJK punctuation, emoji) separate them, and malformed bytes
// act as separators instead of corrupting a neighbour. Contractions become their parts:
// "don't" → "do", "not"; "I'm" → "i", "am"; a possessive "user's" → "user"; "o'clock" stays.
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

std::vector<std::string> tokenize_words(std::string_view text);

}  // namespace companion::core
