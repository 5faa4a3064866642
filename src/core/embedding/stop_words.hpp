#pragma once
// English function words that carry no topic: "what", "do", "i", "have" in "what kind of
// boat do I have". Dropping them keeps a question and its answer from looking alike merely
// because both are English sentences.
#include <string_view>

namespace companion::core {

// `word` lower-case, as the tokenizer produces it.
bool is_stop_word(std::string_view word);

}  // namespace companion::core
