#pragma once
// Answers about the user from what the companion remembers. Only a memory that shares
// meaning with the question answers it, and it is said back in the second person
// ("User's sister is called Maya" → "Your sister is called Maya."). Nothing is ever made up:
// with no fitting memory there is no answer.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/grounding.hpp"
#include "providers/llm/meaning_matcher.hpp"

namespace companion::providers::llm {

// A stored fact as a sentence to the user: "Your sister is called Maya."
std::string memory_as_sentence(std::string_view content);

// The sentence of the memory that best answers `question`, when one does.
std::optional<std::string> answer_from_memories(std::string_view question,
                                                const std::vector<core::RecalledMemory>& memories,
                                                const MeaningMatcher& matcher);

// A memory that bears on what the user just said and adds to it, to weave into a reply
// ("I'm nervous about my sister's wedding" → "Your sister is called Maya."). A memory that
// only repeats the message (it was probably saved from it) does not count, nor one that
// shares only a broad concept with it ("job" and "works at").
std::optional<std::string> related_memory(std::string_view message,
                                          const std::vector<core::RecalledMemory>& memories,
                                          const MeaningMatcher& matcher);

}  // namespace companion::providers::llm
