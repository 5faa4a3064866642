#pragma once
// The reply after tools ran: what each result means to the user, in a sentence or two —
// "Playing Bohemian Rhapsody by Queen.", "Done — I'll remember that your sister is called
// Maya.", the opening of a Wikipedia extract with its title, the slides' title and summary.
// A result that reports an error gets a short apology that says what failed.
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/grounding.hpp"
#include "providers/llm/meaning_matcher.hpp"

namespace companion::providers::llm {

struct ToolOutcome {
  std::string tool;            // the tool's name
  std::string arguments_json;  // what the call asked for ("{}" when unknown)
  std::string result_json;     // the tool's answer, JSON text
};

std::string reply_from_tool_outcomes(const std::vector<ToolOutcome>& outcomes,
                                     std::string_view user_text, const core::Grounding& grounding,
                                     const MeaningMatcher& matcher, std::uint64_t seed);

}  // namespace companion::providers::llm
