#include "providers/llm/usage_estimate.hpp"

namespace companion::providers {

namespace {

constexpr std::int64_t kCharactersPerToken = 4;
// Role markers and separators the chat template wraps around every message.
constexpr std::int64_t kTokensPerMessage = 4;

std::int64_t characters(std::string_view text) {
  std::int64_t count = 0;
  for (unsigned char byte : text)
    if ((byte & 0xC0) != 0x80) ++count;  // continuation bytes belong to the previous one
  return count;
}

}  // namespace

std::int64_t estimate_tokens(std::string_view text) {
  return (characters(text) + kCharactersPerToken - 1) / kCharactersPerToken;
}

core::TokenUsage estimate_usage(const core::GenerationRequest& request, std::string_view reply,
                                const std::vector<core::ToolCall>& calls) {
  core::TokenUsage usage;
  for (const auto& message : request.messages) {
    usage.prompt_tokens += kTokensPerMessage + estimate_tokens(message.content);
    for (const auto& call : message.tool_calls)
      usage.prompt_tokens += estimate_tokens(call.name) + estimate_tokens(call.arguments_json);
  }
  for (const auto& tool : request.tools)
    usage.prompt_tokens += estimate_tokens(tool.name) + estimate_tokens(tool.description) +
                           estimate_tokens(tool.parameters_json);
  usage.completion_tokens = estimate_tokens(reply);
  for (const auto& call : calls)
    usage.completion_tokens += estimate_tokens(call.name) + estimate_tokens(call.arguments_json);
  return usage;
}

}  // namespace companion::providers
