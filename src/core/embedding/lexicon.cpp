#include "core/embedding/lexicon.hpp"

#include <algorithm>

namespace companion::core {

std::string Lexicon::lemma(std::string_view word) const {
  auto entry = lookup(word);
  return entry->known() ? entry->lemmas.front() : std::string(word);
}

std::vector<std::string> Lexicon::synonyms(std::string_view word) const {
  std::vector<std::string> out;
  for (const auto& related : lookup(word)->synonyms) out.push_back(related.term);
  return out;
}

std::vector<std::string> Lexicon::hypernyms(std::string_view word, std::size_t levels) const {
  auto entry = lookup(word);
  std::vector<std::string> out;
  std::size_t depth = std::min(levels, entry->hypernyms.size());
  for (std::size_t level = 0; level < depth; ++level)
    for (const auto& related : entry->hypernyms[level]) out.push_back(related.term);
  return out;
}

}  // namespace companion::core
