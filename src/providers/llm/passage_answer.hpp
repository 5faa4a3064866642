#pragma once
// Extractive answers from the user's documents: the one to three sentences of the retrieved
// passages that best answer the question, with their source. Sentences are scored by the
// meaning they share with the question, and questions after a quantity ("how long", "when")
// favour sentences that hold a number or a date. Whole passages are never handed back.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/grounding.hpp"
#include "providers/llm/meaning_matcher.hpp"

namespace companion::providers::llm {

struct PassageAnswer {
  std::string text;            // the chosen sentences, in document order
  std::string document_title;  // may be empty
  std::optional<int> page;
};

std::optional<PassageAnswer> answer_from_passages(
    std::string_view question, const std::vector<core::RetrievedPassage>& passages,
    const MeaningMatcher& matcher);

// "handbook.pdf, page 3", or "handbook.pdf" without a page.
std::string source_label(const PassageAnswer& answer);

}  // namespace companion::providers::llm
