#include "providers/llm/persona_voice.hpp"

#include <cctype>
#include <utility>
#include <vector>

namespace companion::providers::llm {

namespace {

double trait(const core::PersonaStyle& persona, const std::string& name, double fallback = 0.5) {
  auto found = persona.traits.find(name);
  return found == persona.traits.end() ? fallback : found->second;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '\'';
}

// Replaces `from` with `to` where it stands as a whole word.
void replace_word(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    bool starts = at == 0 || !is_word_char(text[at - 1]);
    std::size_t after = at + from.size();
    bool ends = after == text.size() || !is_word_char(text[after]);
    if (starts && ends) {
      text.replace(at, from.size(), to);
      at += to.size();
    } else {
      at = after;
    }
  }
}

// Lets one sentence of a bright reply end in "!" ("Got it." → "Got it!").
std::string brighten(std::string text) {
  if (text.find('!') != std::string::npos) return text;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] != '.') continue;
    bool ends_sentence = at + 1 == text.size() || text[at + 1] == ' ';
    bool after_word = at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1]));
    if (ends_sentence && after_word) {
      text[at] = '!';
      break;
    }
  }
  return text;
}

std::string soften(std::string text) {
  for (char& c : text)
    if (c == '!') c = '.';
  return text;
}

}  // namespace

std::string expand_contractions(std::string_view input) {
  static const std::vector<std::pair<std::string_view, std::string_view>> forms = {
      {"I'm", "I am"},           {"I'll", "I will"},          {"I've", "I have"},
      {"I'd", "I would"},        {"you're", "you are"},       {"You're", "You are"},
      {"you've", "you have"},    {"You've", "You have"},      {"you'll", "you will"},
      {"You'll", "You will"},    {"you'd", "you would"},      {"it's", "it is"},
      {"It's", "It is"},         {"that's", "that is"},       {"That's", "That is"},
      {"there's", "there is"},   {"There's", "There is"},     {"here's", "here is"},
      {"Here's", "Here is"},     {"what's", "what is"},       {"What's", "What is"},
      {"let's", "let us"},       {"Let's", "Let us"},         {"don't", "do not"},
      {"Don't", "Do not"},       {"doesn't", "does not"},     {"didn't", "did not"},
      {"can't", "cannot"},       {"won't", "will not"},       {"isn't", "is not"},
      {"aren't", "are not"},     {"wasn't", "was not"},       {"weren't", "were not"},
      {"haven't", "have not"},   {"hasn't", "has not"},       {"couldn't", "could not"},
      {"wouldn't", "would not"}, {"shouldn't", "should not"}, {"we're", "we are"},
      {"We're", "We are"},       {"they're", "they are"},     {"we'll", "we will"},
      {"how's", "how is"},       {"How's", "How is"},         {"who's", "who is"}};
  std::string text(input);
  for (const auto& [from, to] : forms) replace_word(text, from, to);
  return text;
}

PersonaVoice::PersonaVoice(const core::PersonaStyle& persona)
    : persona_(persona), name_(persona.name.empty() ? "your companion" : persona.name) {
  const std::string& style = persona.speaking_style;
  formal_ = style == "formal" || trait(persona, "formality") >= 0.7;
  playful_ = style == "playful" || trait(persona, "humor") >= 0.7;
  enthusiastic_ = trait(persona, "enthusiasm") >= 0.7 || style == "playful";
  empathetic_ = trait(persona, "empathy") >= 0.7;
  thoughtful_ = style == "thoughtful";
}

std::string PersonaVoice::styled(std::string_view pattern, Mood mood, bool opening) const {
  std::string text(pattern);
  if (formal_) text = expand_contractions(text);
  switch (mood) {
    case Mood::gentle:
    case Mood::calm:
      return soften(std::move(text));
    case Mood::bright:
    case Mood::neutral:
      if (enthusiastic_ && opening) return brighten(std::move(text));
      // A formal voice keeps its exclamations for news worth one.
      if (formal_ && mood == Mood::neutral) return soften(std::move(text));
      return text;
  }
  return text;
}

}  // namespace companion::providers::llm
