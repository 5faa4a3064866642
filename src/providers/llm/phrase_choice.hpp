#pragma once
// Deterministic variety: which of several phrasings a reply uses is decided by a hash of
// the user's message, so the same message always gets the same reply (replayable, testable)
// while different messages do not all meet one template. Each slot of a reply ("opening",
// "question") draws independently.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/embedding/stable_hash.hpp"

namespace companion::providers::llm {

class PhraseChoice {
 public:
  explicit PhraseChoice(std::uint64_t seed) : seed_(seed) {}

  template <typename List>
  const auto& pick(const List& options, std::string_view slot) const {
    return options[draw(slot) % std::size(options)];
  }
  std::string_view pick(std::initializer_list<std::string_view> options,
                        std::string_view slot) const {
    return *(options.begin() + draw(slot) % options.size());
  }
  // True for about `percent` in a hundred messages.
  bool chance(int percent, std::string_view slot) const {
    return static_cast<int>(draw(slot) % 100) < percent;
  }

 private:
  std::uint64_t draw(std::string_view slot) const {
    return core::mix64(seed_ ^ core::stable_hash(slot));
  }
  std::uint64_t seed_;
};

// Every "{key}" field of `pattern` replaced by its value; unknown fields stay as written.
inline std::string fill(
    std::string_view pattern,
    std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out(pattern);
  for (const auto& [key, value] : values) {
    std::string field(1, '{');
    field.append(key).push_back('}');
    std::string filled;
    std::size_t from = 0;
    for (std::size_t at = out.find(field); at != std::string::npos; at = out.find(field, from)) {
      filled.append(out, from, at - from).append(value);
      from = at + field.size();
    }
    out = filled.append(out, from, std::string::npos);
  }
  return out;
}

}  // namespace companion::providers::llm
