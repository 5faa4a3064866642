#include "providers/llm/reply_builder.hpp"

#include <vector>

#include "providers/llm/perspective.hpp"

namespace companion::providers::llm {

namespace {

// Interjections a formal voice does not use.
bool is_casual_opening(std::string_view option) {
  for (std::string_view casual :
       {"Oh", "Mm", "Ugh", "Aw", "Hey", "Wow", "Ah", "Cue", "Yay", "Hm", "Got it", "So "})
    if (option.starts_with(casual)) return true;
  return false;
}

}  // namespace

ReplyBuilder::ReplyBuilder(const PersonaVoice& voice, const PhraseChoice& choice, Mood mood,
                           std::string user_name)
    : voice_(voice),
      choice_(choice),
      mood_(mood),
      address_(user_name.empty() ? "" : ", " + user_name) {}

void ReplyBuilder::say_one_of(const std::vector<std::string_view>& options, std::string_view slot,
                              Values values) {
  std::vector<std::string_view> usable;
  for (auto option : options)
    if (!voice_.formal() || !is_casual_opening(option)) usable.push_back(option);
  if (usable.empty()) usable = options;
  if (usable.empty()) return;
  say(choice_.pick(usable, slot), values);
}

void ReplyBuilder::say(std::string_view pattern, Values values) {
  if (pattern.empty()) return;
  std::string sentence = fill(voice_.styled(pattern, mood_, text_.empty()), {{", name", address_}});
  for (const auto& [key, value] : values) {
    sentence = fill(sentence, {{key, value}});
    if (key == "r") sentence = fill(sentence, {{"R", capitalise_first(std::string(value))}});
  }
  add(sentence);
}

void ReplyBuilder::add(std::string_view text) {
  if (text.empty()) return;
  if (!text_.empty()) text_ += ' ';
  text_ += text;
}

}  // namespace companion::providers::llm
