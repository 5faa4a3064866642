#include "core/affect/valence_shifters.hpp"

#include "core/affect/affect_tokenizer.hpp"

namespace companion::core {

namespace {

struct ShifterSpec {
  std::string_view text;
  Shifter shifter;
};

constexpr Shifter negator(bool yields_to_intensifier = false) {
  return {ShifterKind::negator, 1.0, yields_to_intensifier};
}
constexpr Shifter scaler(double factor) {
  return {ShifterKind::scaler, factor, false};
}
constexpr Shifter after_scaler(double factor) {
  return {ShifterKind::after_scaler, factor, false};
}
constexpr Shifter contrast() {
  return {ShifterKind::contrast, 1.0, false};
}
constexpr Shifter concession() {
  return {ShifterKind::concession, 1.0, false};
}

constexpr ShifterSpec kShifters[] = {
    // Negators. Contractions arrive as "not" ("didn't" → "did not").
    {"not", negator()},
    {"no", negator()},
    {"never", negator(true)},
    {"without", negator()},
    {"nothing", negator()},
    {"nobody", negator()},
    {"no one", negator()},
    {"none", negator()},
    {"neither", negator()},
    {"nor", negator()},
    {"hardly", negator()},
    {"not even", negator()},
    // Intensifiers.
    {"very", scaler(1.5)},
    {"so", scaler(1.5)},
    {"soo", scaler(1.6)},
    {"really", scaler(1.4)},
    {"rly", scaler(1.4)},
    {"super", scaler(1.5)},
    {"extremely", scaler(1.8)},
    {"incredibly", scaler(1.7)},
    {"insanely", scaler(1.6)},
    {"ridiculously", scaler(1.5)},
    {"totally", scaler(1.4)},
    {"absolutely", scaler(1.6)},
    {"completely", scaler(1.5)},
    {"utterly", scaler(1.6)},
    {"truly", scaler(1.3)},
    {"deeply", scaler(1.5)},
    {"genuinely", scaler(1.2)},
    {"literally", scaler(1.3)},
    {"seriously", scaler(1.3)},
    {"too", scaler(1.3)},
    {"such", scaler(1.4)},
    {"such a", scaler(1.4)},
    {"most", scaler(1.3)},
    {"more", scaler(1.2)},
    {"quite", scaler(1.2)},
    {"pretty", scaler(1.1)},
    {"way too", scaler(1.5)},
    {"freaking", scaler(1.4)},
    {"fucking", scaler(1.5)},
    {"hella", scaler(1.5)},
    {"mega", scaler(1.4)},
    {"especially", scaler(1.2)},
    {"can't stop", scaler(1.3)},
    {"can't help", scaler(1.2)},
    // Downtoners.
    {"a bit", scaler(0.6)},
    {"a little", scaler(0.6)},
    {"a little bit", scaler(0.55)},
    {"a tad", scaler(0.6)},
    {"little", scaler(0.7)},
    {"bit", scaler(0.7)},
    {"slightly", scaler(0.5)},
    {"kinda", scaler(0.7)},
    {"kind of", scaler(0.7)},
    {"sort of", scaler(0.7)},
    {"sorta", scaler(0.7)},
    {"somewhat", scaler(0.7)},
    {"mildly", scaler(0.5)},
    {"fairly", scaler(0.8)},
    {"moderately", scaler(0.7)},
    {"lowkey", scaler(0.7)},
    {"low key", scaler(0.7)},
    {"almost", scaler(0.6)},
    {"barely", scaler(0.3)},
    // Intensifiers that follow the feeling ("love you so much", "not happy at all").
    {"so much", after_scaler(1.4)},
    {"a lot", after_scaler(1.3)},
    {"at all", after_scaler(1.3)},
    {"af", after_scaler(1.5)},
    {"as hell", after_scaler(1.5)},
    {"like crazy", after_scaler(1.4)},
    {"to death", after_scaler(1.4)},
    {"beyond words", after_scaler(1.5)},
    // Contrast and concession.
    {"but", contrast()},
    {"however", contrast()},
    {"nevertheless", contrast()},
    {"nonetheless", contrast()},
    {"although", concession()},
    {"though", concession()},
    {"even though", concession()},
    {"even if", concession()},
    {"despite", concession()},
    {"in spite of", concession()},
};

}  // namespace

ValenceShifters::ValenceShifters() {
  for (const ShifterSpec& spec : kShifters) table_.add(affect_words(spec.text), spec.shifter);
}

PhraseTable<Shifter>::Match ValenceShifters::find(std::span<const std::string_view> words,
                                                  std::size_t start) const {
  return table_.longest(words, start);
}

bool ValenceShifters::is_single_scaler(std::string_view word) const {
  const std::string_view words[] = {word};
  const auto match = table_.longest(words, 0);
  return match.value != nullptr && match.end == 1 && match.value->kind == ShifterKind::scaler;
}

}  // namespace companion::core
