#include <utility>

#include "core/affect/emotion.hpp"
#include "core/affect/emotion_summary.hpp"
#include "core/affect/feeling_scorer.hpp"
#include "core/embedding/lexicon.hpp"
#include "core/knowledge/sentence_splitter.hpp"

namespace companion::core {

struct EmotionAnalyzer::Impl {
  explicit Impl(std::shared_ptr<const Lexicon> lexicon)
      : dictionary(lexicon && lexicon->available() ? std::move(lexicon) : nullptr),
        scorer(dictionary.get()) {}

  std::shared_ptr<const Lexicon> dictionary;  // kept alive for the scorer
  FeelingScorer scorer;
};

EmotionAnalyzer::EmotionAnalyzer(std::shared_ptr<const Lexicon> lexicon)
    : impl_(std::make_unique<Impl>(std::move(lexicon))) {}

EmotionAnalyzer::~EmotionAnalyzer() = default;
EmotionAnalyzer::EmotionAnalyzer(EmotionAnalyzer&&) noexcept = default;
EmotionAnalyzer& EmotionAnalyzer::operator=(EmotionAnalyzer&&) noexcept = default;

EmotionAnalysis EmotionAnalyzer::analyze(std::string_view text) const {
  return summarize(impl_->scorer.measure(text));
}

std::vector<SentenceEmotion> EmotionAnalyzer::analyze_sentences(std::string_view text) const {
  std::vector<SentenceEmotion> sentences;
  for (const TextSpan span : split_sentences(text)) {
    SentenceEmotion sentence;
    sentence.sentence = std::string(text.substr(span.begin, span.end - span.begin));
    sentence.analysis = analyze(sentence.sentence);
    sentence.items = items_of(sentence.analysis);
    sentences.push_back(std::move(sentence));
  }
  return sentences;
}

std::vector<EmotionItem> EmotionAnalyzer::items_of(const EmotionAnalysis& analysis) const {
  return items_from(analysis);
}

}  // namespace companion::core
