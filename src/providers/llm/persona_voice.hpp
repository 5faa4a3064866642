#pragma once
// How the persona sounds: its speaking style and traits turned into choices a template can
// act on. A formal persona speaks without contractions, an enthusiastic one lets a bright
// reply end in "!", and nobody exclaims while comforting. The voice styles the templates
// only, before the user's own words and tool data are filled in, so a song called
// "Don't Stop Me Now" keeps its title even in a formal voice.
#include <string>
#include <string_view>

#include "core/llm/grounding.hpp"

namespace companion::providers::llm {

// The emotional register a reply is written in.
enum class Mood {
  bright,   // joy, excitement, greetings: warmth may show
  gentle,   // sadness, fear: comfort, no exclamation
  calm,     // anger: steady and validating
  neutral,  // everything else
};

class PersonaVoice {
 public:
  explicit PersonaVoice(const core::PersonaStyle& persona);

  const std::string& name() const { return name_; }
  const core::PersonaStyle& persona() const { return persona_; }
  bool formal() const { return formal_; }
  bool playful() const { return playful_; }
  bool enthusiastic() const { return enthusiastic_; }
  bool empathetic() const { return empathetic_; }
  bool thoughtful() const { return thoughtful_; }

  // A template as this persona would say it in this mood. Enthusiasm shows in the opening
  // sentence only: a reply of exclamations reads as shouting.
  std::string styled(std::string_view pattern, Mood mood, bool opening = true) const;

 private:
  const core::PersonaStyle& persona_;
  std::string name_;
  bool formal_ = false;
  bool playful_ = false;
  bool enthusiastic_ = false;
  bool empathetic_ = false;
  bool thoughtful_ = false;
};

// "I'm" → "I am", "don't" → "do not": for voices that avoid contractions.
std::string expand_contractions(std::string_view text);

}  // namespace companion::providers::llm
