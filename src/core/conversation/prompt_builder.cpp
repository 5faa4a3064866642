#include "core/conversation/prompt_builder.hpp"

#include <algorithm>

namespace companion::core {
namespace {

double trait(const Character& character, const std::string& name, double fallback = 0.5) {
  auto it = character.traits.find(name);
  return it == character.traits.end() ? fallback : it->second;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

void append_memories(std::string& out, const Grounding& grounding) {
  if (grounding.memories.empty()) return;
  out += "\n\nWhat you remember about the user (use it naturally, never recite it):";
  for (const auto& memory : grounding.memories) out += "\n- " + memory.content;
}

void append_passages(std::string& out, const Grounding& grounding) {
  if (grounding.passages.empty()) return;
  out +=
      "\n\nPassages from the user's documents that may answer the message. Answer from them "
      "when they do, and cite the source in parentheses as (source: <document>, page <n>):";
  for (const auto& passage : grounding.passages) {
    out += "\n[source: " + passage.document_title;
    if (passage.page) out += ", page " + std::to_string(*passage.page);
    out += "]\n" + passage.text;
  }
}

void append_feeling(std::string& out, const Grounding& grounding) {
  const auto& feeling = grounding.feeling;
  if (feeling.emotion.empty() || feeling.emotion == "neutral") return;
  out += "\n\nThe user's message sounds " + feeling.emotion + " (" + feeling.intensity +
         " intensity). ";
  if (feeling.emotion == "sadness" || feeling.emotion == "fear")
    out += "Be gentle and supportive before anything else.";
  else if (feeling.emotion == "anger" || feeling.emotion == "disgust")
    out += "Stay calm, acknowledge the frustration, do not argue.";
  else
    out += "Share the feeling warmly.";
}

}  // namespace

std::size_t estimate_tokens(std::string_view text) {
  return (text.size() + 3) / 4;
}

PersonaStyle persona_style(const Character& character) {
  PersonaStyle style;
  style.name = character.name;
  style.description = character.description;
  style.personality = character.personality;
  style.traits = character.traits;
  style.speaking_style = character.speaking_style;
  style.interests = character.interests;
  style.background = character.background;
  style.language = character.language;
  return style;
}

std::string style_instructions(const Character& character) {
  std::vector<std::string> notes;
  if (!character.speaking_style.empty())
    notes.push_back("Speak in a " + character.speaking_style + " way.");
  if (trait(character, "formality") >= 0.7) notes.push_back("Keep a polite, formal register.");
  if (trait(character, "formality") <= 0.3) notes.push_back("Be relaxed and informal.");
  if (trait(character, "humor") >= 0.7) notes.push_back("A light touch of humour is welcome.");
  if (trait(character, "empathy") >= 0.8)
    notes.push_back("Notice how the user feels and acknowledge it.");
  if (trait(character, "enthusiasm") >= 0.8) notes.push_back("Show genuine enthusiasm.");
  notes.push_back("Keep replies short and conversational unless asked for detail.");
  return join(notes, " ");
}

std::string system_prompt(const PromptInput& input) {
  const Character& character = *input.character;
  std::string out;
  out = "You are " + character.name + ", a companion talking with a user.";
  if (!character.personality.empty()) out += " Personality: " + character.personality + ".";
  if (!character.description.empty()) out += " " + character.description + ".";
  if (!character.background.empty()) out += "\nBackground: " + character.background;
  if (!character.interests.empty())
    out += "\nYour interests: " + join(character.interests, ", ") + ".";
  out += "\n" + style_instructions(character);
  if (!character.language.empty())
    out += "\nAnswer in the user's language (default " + character.language + ").";
  if (!character.system_prompt.empty()) out += "\n\n" + character.system_prompt;
  if (!input.extra_instructions.empty()) out += "\n\n" + input.extra_instructions;
  if (input.grounding) {
    const auto& grounding = *input.grounding;
    if (!grounding.user_display_name.empty())
      out += "\n\nThe user's name is " + grounding.user_display_name + ".";
    if (!grounding.local_time.empty())
      out += "\nThe user's local time is " + grounding.local_time + ".";
    append_feeling(out, grounding);
    append_memories(out, grounding);
    append_passages(out, grounding);
    if (!grounding.tools.empty())
      out += "\n\nYou can call tools when they help: " + join(grounding.tools, ", ") +
             ". Call a tool only when the user's request needs it.";
  }
  return out;
}

std::vector<ChatMessage> build_prompt(const PromptInput& input) {
  std::vector<ChatMessage> messages;
  messages.push_back({ChatRole::System, system_prompt(input), {}, {}, {}});
  // The newest history that fits the budget, kept in order.
  std::size_t budget = input.history_token_budget;
  std::size_t first = input.history.size();
  while (first > 0) {
    auto cost = estimate_tokens(input.history[first - 1].content) + 4;
    if (cost > budget) break;
    budget -= cost;
    --first;
  }
  messages.insert(messages.end(), input.history.begin() + static_cast<std::ptrdiff_t>(first),
                  input.history.end());
  messages.push_back({ChatRole::User, input.user_message, {}, {}, {}});
  return messages;
}

}  // namespace companion::core
