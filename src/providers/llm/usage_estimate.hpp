#pragma once
// A token count for servers that report none (some OpenAI-compatible servers omit usage
// from streams): about four characters a token, the usual rule for English text with
// common tokenizers, plus the few tokens each chat message costs for its framing.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/llm/llm_provider.hpp"

namespace companion::providers {

std::int64_t estimate_tokens(std::string_view text);

// What the request's messages and tools cost, and what the reply (text and calls) cost.
core::TokenUsage estimate_usage(const core::GenerationRequest& request, std::string_view reply,
                                const std::vector<core::ToolCall>& calls);

}  // namespace companion::providers
