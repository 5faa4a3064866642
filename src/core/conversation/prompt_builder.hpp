#pragma once
// Turns a character, what the turn gathered and the conversation so far into the messages a
// network model reads: a system message (who the companion is and how it speaks, what it
// remembers about the user, the document passages that bear on the question, how to use its
// tools), the recent history within a token budget, then the user's message.
#include <string>
#include <vector>

#include "core/characters/character.hpp"
#include "core/llm/chat_message.hpp"
#include "core/llm/grounding.hpp"

namespace companion::core {

struct PromptInput {
  const Character* character = nullptr;
  const Grounding* grounding = nullptr;
  std::vector<ChatMessage> history;  // oldest first, without the new message
  std::string extra_instructions;    // system text a client sent (OpenAI-compatible)
  std::string user_message;
  std::size_t history_token_budget = 3000;
};

// The style instructions a character's traits and speaking style imply.
std::string style_instructions(const Character& character);
std::string system_prompt(const PromptInput& input);
std::vector<ChatMessage> build_prompt(const PromptInput& input);
// Roughly four characters per token, as tokenizers of English text average.
std::size_t estimate_tokens(std::string_view text);
PersonaStyle persona_style(const Character& character);

}  // namespace companion::core
