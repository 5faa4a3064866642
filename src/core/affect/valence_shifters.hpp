#pragma once
// Words that do not carry a feeling themselves but change the ones around them: negators
// ("not", "never"), intensifiers and downtoners ("very", "a bit"), intensifiers that follow
// their feeling ("so much", "at all"), contrast ("but": what came before weighs less) and
// concession ("although": the clause it opens weighs less).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/affect/phrase_table.hpp"

namespace companion::core {

enum class ShifterKind : std::uint8_t { negator, scaler, after_scaler, contrast, concession };

struct Shifter {
  ShifterKind kind = ShifterKind::scaler;
  double factor = 1.0;  // scalers: how much stronger (> 1) or fainter (< 1)
  // Negators: an intensifier between "never" and the feeling makes it a superlative, not a
  // negation ("never been so scared").
  bool yields_to_intensifier = false;
};

class ValenceShifters {
 public:
  ValenceShifters();

  // The longest shifter starting at words[start].
  PhraseTable<Shifter>::Match find(std::span<const std::string_view> words,
                                   std::size_t start) const;
  // A one-word intensifier or downtoner ("really", "kinda"): it may stand inside a phrase.
  bool is_single_scaler(std::string_view word) const;
  bool uses(std::string_view word) const { return table_.uses(word); }

 private:
  PhraseTable<Shifter> table_;
};

}  // namespace companion::core
