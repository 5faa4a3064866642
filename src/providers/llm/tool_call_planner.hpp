#pragma once
// Which tool, if any, answers a detected intent, with the arguments the tool expects.
// Only tools offered this turn are called, and only when the request carries what the tool
// needs: slides without a topic are asked about first, and a document question is answered
// from the passages already retrieved before the documents are searched again.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/conversation/intent_detector.hpp"
#include "core/llm/chat_message.hpp"
#include "core/llm/grounding.hpp"

namespace companion::providers::llm {

// The tool names the offline engine knows how to call.
namespace tool {
inline constexpr std::string_view save_memory = "save_memory";
inline constexpr std::string_view search_memory = "search_memory";
inline constexpr std::string_view delete_memory = "delete_memory";
inline constexpr std::string_view semantic_search = "semantic_search";
inline constexpr std::string_view web_search = "web_search";
inline constexpr std::string_view search_wikipedia = "search_wikipedia";
inline constexpr std::string_view music_control = "music_control";
inline constexpr std::string_view slides = "generate_or_update_slides";
}  // namespace tool

// The tool an intent calls on, or empty when it calls on none.
std::string_view tool_for(const core::DetectedIntent& intent);

// `call_seed` makes the call id: the same turn gets the same id.
std::optional<core::ToolCall> plan_tool_call(const core::DetectedIntent& intent,
                                             const core::Grounding& grounding,
                                             const std::vector<std::string>& available_tools,
                                             std::uint64_t call_seed);

// "personal", "preferences", "work", "context" or "general", from what the fact is about.
std::string memory_category(std::string_view fact);

}  // namespace companion::providers::llm
