#pragma once
// Assembles a reply sentence by sentence. Templates pass through the persona's voice first
// and get their {fields} filled in after, so the user's words and tool data appear exactly
// as given. "{, name}" is the user's name after a comma (or nothing), "{r}"/"{R}" a phrase
// in lower case / with a capital, plus whatever values a sentence brings.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/llm/persona_voice.hpp"
#include "providers/llm/phrase_choice.hpp"

namespace companion::providers::llm {

class ReplyBuilder {
 public:
  using Values = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  ReplyBuilder(const PersonaVoice& voice, const PhraseChoice& choice, Mood mood,
               std::string user_name);

  Mood mood() const { return mood_; }
  const PersonaVoice& voice() const { return voice_; }
  const PhraseChoice& choice() const { return choice_; }

  // Says one of `options` (chosen by `slot`), styled and filled.
  void say_one_of(const std::vector<std::string_view>& options, std::string_view slot,
                  Values values = {});
  void say_one_of(std::initializer_list<std::string_view> options, std::string_view slot,
                  Values values = {}) {
    say_one_of(std::vector<std::string_view>(options), slot, values);
  }
  void say(std::string_view pattern, Values values = {});
  // Appends text as it is: data, not a template.
  void add(std::string_view text);

  bool empty() const { return text_.empty(); }
  std::string text() const { return text_; }

 private:
  const PersonaVoice& voice_;
  const PhraseChoice& choice_;
  Mood mood_;
  std::string address_;  // ", Sam" or ""
  std::string text_;
};

}  // namespace companion::providers::llm
