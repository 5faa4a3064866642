#include "core/affect/feeling_scorer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/affect/affect_tokenizer.hpp"
#include "core/embedding/lexicon.hpp"

namespace companion::core {

namespace {

// Negation reaches the feeling within this many words: "not at all happy".
constexpr std::size_t kNegationWindow = 3;
// An intensifier reaches the feeling within this many words: "really feeling down".
constexpr std::size_t kScalerWindow = 3;
// "love you so much": an intensifier that follows may sit this many words after its feeling.
constexpr std::size_t kAfterScalerGap = 2;
constexpr double kShoutedFactor = 1.4;
constexpr double kElongatedFactor = 1.3;
constexpr double kExclamationStep = 0.2;  // per "!", up to three
constexpr int kMaxExclamations = 3;
constexpr double kBeforeContrast = 0.5;          // "I was scared but now I'm relieved"
constexpr double kConcession = 0.5;              // "although it rained, ..."
constexpr double kRepeatedSymbol = 0.5;          // "😂😂": the second adds half
constexpr double kInterrobangSurprise = 0.6;     // "?!"
constexpr double kDoubleQuestionSurprise = 0.5;  // "??"
constexpr double kEchoSurprise = 0.7;            // "Really?", "WHAT."
// A negated pleasant feeling reads as sadness ("not happy"); a negated unpleasant one as a
// faint relief ("not bad"); a negated surprise as nothing.
constexpr double kNegatedJoyToSadness = 0.6;
constexpr double kNegatedLoveToSadness = 0.5;
constexpr double kNegatedExcitementToSadness = 0.4;
constexpr double kNegatedUnpleasantToJoy = 0.25;
constexpr double kNegatedPositiveValence = -0.6;
constexpr double kNegatedNegativeValence = -0.4;

// One-word questions and shouts that say "I did not expect that".
constexpr std::array<std::string_view, 6> kEchoWords = {"really", "seriously", "what",
                                                        "wait",   "huh",       "wtf"};

EmotionCue negated(const EmotionCue& cue) {
  using enum Feeling;
  const auto& in = cue.strengths;
  EmotionCue out;
  out.strengths[index_of(sadness)] = kNegatedJoyToSadness * in[index_of(joy)] +
                                     kNegatedLoveToSadness * in[index_of(love)] +
                                     kNegatedExcitementToSadness * in[index_of(excitement)];
  out.strengths[index_of(joy)] =
      kNegatedUnpleasantToJoy *
      (in[index_of(sadness)] + in[index_of(anger)] + in[index_of(fear)] + in[index_of(disgust)]);
  out.valence = cue.valence * (cue.valence > 0 ? kNegatedPositiveValence : kNegatedNegativeValence);
  return out;
}

bool carries_feeling(const EmotionCue& cue) {
  return std::any_of(cue.strengths.begin(), cue.strengths.end(),
                     [](double strength) { return strength > 0; });
}

bool is_plain_ascii_word(std::string_view word) {
  return word.size() >= 3 &&
         std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

struct ScoredCue {
  FeelingStrengths strengths{};
  double valence = 0;
  std::size_t segment = 0;
  std::size_t end_word = 0;  // the word count just after the cue
};

// One pass over one text's tokens.
class Walk {
 public:
  Walk(const FeelingScorer& scorer, std::string_view text)
      : scorer_(scorer), tokens_(tokenize_affect(text)) {
    resolve_word_forms();
  }

  FeelingMeasure run() {
    for (std::size_t i = 0; i < tokens_.size();) i = step(i);
    close_segment(nullptr);
    for (const ScoredCue& cue : cues_) {
      for (std::size_t f = 0; f < kFeelingCount; ++f) measure_.strengths[f] += cue.strengths[f];
      measure_.valence += cue.valence;
    }
    return measure_;
  }

 private:
  // "sooo" is "so" but "goood" is "good": keep two letters of a run when that spelling is
  // in a list, else one.
  void resolve_word_forms() {
    words_.reserve(tokens_.size());
    for (const AffectToken& token : tokens_) {
      if (token.kind != AffectTokenKind::word) {
        words_.emplace_back();
      } else if (token.elongated && !is_listed(token.text)) {
        words_.emplace_back(token.shorter);
      } else {
        words_.emplace_back(token.text);
      }
    }
  }

  bool is_listed(std::string_view word) const {
    return scorer_.lexicon().knows(word) || scorer_.shifters().uses(word);
  }

  std::size_t step(std::size_t i) {
    const AffectToken& token = tokens_[i];
    switch (token.kind) {
      case AffectTokenKind::punctuation:
        on_punctuation(token);
        return i + 1;
      case AffectTokenKind::emoji:
      case AffectTokenKind::emoticon:
        on_symbol(i);
        return i + 1;
      case AffectTokenKind::word:
        break;
    }
    return on_word(i);
  }

  std::size_t on_word(std::size_t i) {
    if (word_count_ == segment_start_word_) first_word_of_segment_ = i;
    const auto phrase = scorer_.lexicon().phrases().longest(
        words_, i, [&](std::size_t k) { return scorer_.shifters().is_single_scaler(words_[k]); });
    if (phrase.value != nullptr) {
      add_word_cue(*phrase.value, i, phrase.end, phrase.skipped);
      return phrase.end;
    }
    const auto shifter = scorer_.shifters().find(words_, i);
    if (shifter.value != nullptr) {
      apply_shifter(*shifter.value, i, shifter.end);
      return shifter.end;
    }
    if (const EmotionCue* cue = find_word_cue(words_[i])) {
      add_word_cue(*cue, i, i + 1, 0);
    } else {
      ++measure_.tokens;
      ++word_count_;
    }
    return i + 1;
  }

  const EmotionCue* find_word_cue(std::string_view word) const {
    if (const EmotionCue* cue = scorer_.lexicon().find_word(word)) return cue;
    const Lexicon* dictionary = scorer_.dictionary();
    if (dictionary == nullptr || !is_plain_ascii_word(word)) return nullptr;
    const auto entry = dictionary->lookup(word);
    for (const std::string& lemma : entry->lemmas) {
      if (lemma == word) continue;
      if (const EmotionCue* cue = scorer_.lexicon().find_word(lemma)) return cue;
    }
    return nullptr;
  }

  void apply_shifter(const Shifter& shifter, std::size_t begin, std::size_t end) {
    const std::size_t length = end - begin;
    measure_.tokens += length;
    word_count_ += length;
    switch (shifter.kind) {
      case ShifterKind::negator:
        negation_end_ = word_count_ + kNegationWindow;
        negation_yields_ = shifter.yields_to_intensifier;
        negator_words_ = length;
        break;
      case ShifterKind::scaler:
        add_pending_scale(shifter.factor, length);
        break;
      case ShifterKind::after_scaler:
        if (!cues_.empty() && last_cue_is_near(word_count_ - length)) {
          scale(cues_.back(), shifter.factor);
          measure_.cue_tokens += length;
        } else {
          add_pending_scale(shifter.factor, length);
        }
        break;
      case ShifterKind::contrast:
        for (ScoredCue& cue : cues_) scale(cue, kBeforeContrast);
        end_clause();
        break;
      case ShifterKind::concession:
        end_clause();
        concession_ = kConcession;
        break;
    }
  }

  void add_pending_scale(double factor, std::size_t length) {
    if (scale_end_ <= word_count_ - length) {
      pending_scale_ = 1.0;
      pending_words_ = 0;
    }
    pending_scale_ *= factor;
    pending_words_ += length;
    scale_end_ = word_count_ + kScalerWindow;
    // "never been so scared": the intensifier makes "never" a superlative.
    if (factor > 1 && negation_yields_ && negation_end_ > word_count_) negation_end_ = 0;
  }

  // Whether an intensifier that starts at word `start_word` follows the last cue closely,
  // in the same clause.
  bool last_cue_is_near(std::size_t start_word) const {
    const ScoredCue& last = cues_.back();
    return last.segment == segment_ && last.end_word >= clause_start_word_ &&
           start_word <= last.end_word + kAfterScalerGap;
  }

  // A cue of the word list covering tokens [begin, end); `skipped` marks the intensifiers
  // standing inside a phrase ("feeling kinda blue"), which shape it.
  void add_word_cue(const EmotionCue& cue, std::size_t begin, std::size_t end,
                    std::uint32_t skipped) {
    const std::size_t start_word = word_count_;
    std::size_t words = 0;
    double factor = 1.0;
    bool shouted = false;
    bool elongated = false;
    for (std::size_t k = begin; k < end; ++k) {
      ++words;
      shouted = shouted || tokens_[k].all_caps;
      elongated = elongated || tokens_[k].elongated;
      if (skipped & (std::uint32_t{1} << (k - begin))) {
        const auto inner = scorer_.shifters().find(words_, k);
        if (inner.value != nullptr) factor *= inner.value->factor;
      }
    }
    measure_.tokens += words;
    word_count_ += words;
    if (!carries_feeling(cue)) return;  // an idiom that only hides its words

    if (scale_end_ > start_word) factor *= pending_scale_;
    if (shouted) factor *= kShoutedFactor;
    if (elongated) factor *= kElongatedFactor;
    factor *= concession_;
    const bool is_negated = negation_end_ > start_word;
    const EmotionCue shaped = is_negated ? negated(cue) : cue;
    push_cue(shaped, factor);

    measure_.cue_tokens +=
        words + (scale_end_ > start_word ? pending_words_ : 0) + (is_negated ? negator_words_ : 0);
    if (is_negated) negator_words_ = 0;  // counted once, however many feelings it turns
    scale_end_ = 0;
    pending_scale_ = 1.0;
    pending_words_ = 0;
  }

  void on_symbol(std::size_t i) {
    ++measure_.tokens;
    const EmotionCue* cue = scorer_.lexicon().find_symbol(tokens_[i].text);
    if (cue == nullptr) return;
    const bool repeated = i > 0 && tokens_[i - 1].text == tokens_[i].text;
    push_cue(*cue, (repeated ? kRepeatedSymbol : 1.0) * concession_);
    ++measure_.cue_tokens;
  }

  void push_cue(const EmotionCue& cue, double factor) {
    ScoredCue scored;
    for (std::size_t f = 0; f < kFeelingCount; ++f) scored.strengths[f] = cue.strengths[f] * factor;
    scored.valence = cue.valence * factor;
    scored.segment = segment_;
    scored.end_word = word_count_;
    cues_.push_back(scored);
  }

  void on_punctuation(const AffectToken& token) {
    if (token.ends_sentence) close_segment(&token);
    end_clause();
  }

  // A sentence ends: its exclamation marks strengthen its cues, "?!" and one-word echoes
  // ("Really?") add surprise.
  void close_segment(const AffectToken* punctuation) {
    const int exclamations = punctuation ? punctuation->exclamations : 0;
    const int questions = punctuation ? punctuation->questions : 0;
    const double emphasis = 1.0 + kExclamationStep * std::min(exclamations, kMaxExclamations);
    for (ScoredCue& cue : cues_) {
      if (cue.segment == segment_) scale(cue, emphasis);
    }
    EmotionCue surprise;
    auto& surprise_strength = surprise.strengths[index_of(Feeling::surprise)];
    if (questions > 0 && exclamations > 0) {
      surprise_strength = kInterrobangSurprise;
    } else if (questions >= 2) {
      surprise_strength = kDoubleQuestionSurprise;
    }
    if (is_echo_segment(questions + exclamations > 0)) {
      surprise_strength += kEchoSurprise;
      ++measure_.cue_tokens;
    }
    if (surprise_strength > 0) push_cue(surprise, 1.0);
    ++segment_;
    segment_start_word_ = word_count_;
  }

  bool is_echo_segment(bool punctuated) const {
    if (word_count_ - segment_start_word_ != 1) return false;
    const AffectToken& word = tokens_[first_word_of_segment_];
    if (!punctuated && !word.all_caps) return false;
    return std::find(kEchoWords.begin(), kEchoWords.end(), words_[first_word_of_segment_]) !=
           kEchoWords.end();
  }

  void end_clause() {
    negation_end_ = 0;
    scale_end_ = 0;
    pending_scale_ = 1.0;
    pending_words_ = 0;
    concession_ = 1.0;
    clause_start_word_ = word_count_;
  }

  static void scale(ScoredCue& cue, double factor) {
    for (double& strength : cue.strengths) strength *= factor;
    cue.valence *= factor;
  }

  const FeelingScorer& scorer_;
  std::vector<AffectToken> tokens_;
  std::vector<std::string_view> words_;  // per token: its word form, empty for non-words
  std::vector<ScoredCue> cues_;
  FeelingMeasure measure_;

  std::size_t word_count_ = 0;  // words consumed so far
  std::size_t segment_ = 0;     // sentences closed so far
  std::size_t segment_start_word_ = 0;
  std::size_t first_word_of_segment_ = 0;
  std::size_t clause_start_word_ = 0;
  std::size_t negation_end_ = 0;  // negation reaches cues starting before this word count
  bool negation_yields_ = false;
  std::size_t negator_words_ = 0;
  std::size_t scale_end_ = 0;  // the pending scale reaches cues starting before this count
  double pending_scale_ = 1.0;
  std::size_t pending_words_ = 0;
  double concession_ = 1.0;
};

}  // namespace

FeelingMeasure FeelingScorer::measure(std::string_view text) const {
  return Walk(*this, text).run();
}

}  // namespace companion::core
