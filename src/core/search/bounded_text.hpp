#pragma once
// Search results are read by a model with a limited context and shown to users in a sentence
// or two, so every text a search tool returns is cut to a bound: at the end of a sentence
// when one ends late enough, else at a word, never inside a UTF-8 character.
#include <cstddef>
#include <string>
#include <string_view>

namespace companion::core {

// `text` when it fits in `max_bytes`; else its longest prefix ending at a word, with "…".
std::string cut_at_word(std::string_view text, std::size_t max_bytes);

// Like cut_at_word, but prefers to end after a whole sentence (no ellipsis then) as long as
// that keeps at least half of the bound.
std::string cut_at_sentence(std::string_view text, std::size_t max_bytes);

}  // namespace companion::core
