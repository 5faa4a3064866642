#include "providers/llm/passage_answer.hpp"

#include <algorithm>
#include <cctype>

#include "core/knowledge/sentence_splitter.hpp"

namespace companion::providers::llm {

namespace {

constexpr std::size_t kPassagesRead = 6;
constexpr std::size_t kMaxSentences = 3;
constexpr std::size_t kMaxWordsPerSentence = 60;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "how long is the warranty" asks for a duration: "long" names no topic, a number answers.
struct QuestionShape {
  std::string topic_text;
  bool wants_quantity = false;
};

QuestionShape shape_of(std::string_view question) {
  QuestionShape shape{lower(question)};
  static constexpr std::string_view quantity_phrases[] = {
      "how long",  "how many",  "how much",        "how often",
      "how far",   "how old",   "how big",         "how large",
      "when",      "what year", "which year",      "what date",
      "what time", "deadline",  "what percentage", "how soon"};
  for (auto phrase : quantity_phrases) {
    auto at = shape.topic_text.find(phrase);
    if (at == std::string::npos) continue;
    shape.wants_quantity = true;
    if (phrase.starts_with("how ")) shape.topic_text.replace(at, phrase.size(), "how");
  }
  return shape;
}

bool holds_quantity(std::string_view sentence) {
  if (std::any_of(sentence.begin(), sentence.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return true;
  }
  std::string text = lower(sentence);
  static constexpr std::string_view words[] = {
      "january",  "february", "march",    "april",  "june",    "july",      "august",   "september",
      "october",  "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
      "saturday", "sunday",   "two",      "three",  "four",    "five",      "six",      "seven",
      "eight",    "nine",     "ten",      "twelve", "hundred"};
  for (auto word : words) {
    auto at = text.find(word);
    bool starts = at != std::string::npos &&
                  (at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1])));
    bool ends = at != std::string::npos &&
                (at + word.size() == text.size() ||
                 !std::isalpha(static_cast<unsigned char>(text[at + word.size()])));
    if (starts && ends) return true;
  }
  return false;
}

std::string shortened(std::string_view sentence) {
  std::string out;
  std::size_t words = 0;
  for (std::size_t i = 0; i < sentence.size(); ++i) {
    if (sentence[i] == ' ' && ++words >= kMaxWordsPerSentence) return out + " …";
    out += sentence[i] == '\n' ? ' ' : sentence[i];
  }
  return out;
}

struct Sentence {
  std::size_t passage = 0;
  std::size_t index = 0;  // position in its passage
  std::string_view text;
  MeaningMatch match;
  double score = 0;
};

}  // namespace

std::optional<PassageAnswer> answer_from_passages(
    std::string_view question, const std::vector<core::RetrievedPassage>& passages,
    const MeaningMatcher& matcher) {
  QuestionShape shape = shape_of(question);
  auto asked = matcher.terms(shape.topic_text);
  if (asked.empty()) return std::nullopt;

  std::vector<Sentence> sentences;
  for (std::size_t p = 0; p < passages.size() && p < kPassagesRead; ++p) {
    std::string_view text = passages[p].text;
    auto spans = core::split_sentences(text);
    for (std::size_t i = 0; i < spans.size(); ++i) {
      Sentence s{p, i, text.substr(spans[i].begin, spans[i].end - spans[i].begin)};
      s.match = matcher.match(asked, matcher.terms(s.text));
      s.score = s.match.score + (shape.wants_quantity && holds_quantity(s.text) ? 0.15 : 0) +
                0.02 * passages[p].score;
      sentences.push_back(s);
    }
  }
  auto best =
      std::max_element(sentences.begin(), sentences.end(),
                       [](const Sentence& a, const Sentence& b) { return a.score < b.score; });
  if (best == sentences.end() || !answers(best->match, 0.4)) return std::nullopt;

  // The best sentence, and its neighbours when they carry the question too ("It can be
  // extended by 12 months." after "The warranty lasts 24 months.").
  std::vector<const Sentence*> chosen{&*best};
  for (const Sentence& s : sentences) {
    if (chosen.size() >= kMaxSentences) break;
    bool neighbour =
        s.passage == best->passage && (s.index + 1 == best->index || s.index == best->index + 1);
    if (neighbour && s.match.strongest >= 0.7 && s.match.score >= 0.5 * best->match.score)
      chosen.push_back(&s);
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const Sentence* a, const Sentence* b) { return a->index < b->index; });

  PassageAnswer answer;
  for (const Sentence* s : chosen) {
    if (!answer.text.empty()) answer.text += ' ';
    answer.text += shortened(s->text);
  }
  answer.document_title = passages[best->passage].document_title;
  answer.page = passages[best->passage].page;
  return answer;
}

std::string source_label(const PassageAnswer& answer) {
  std::string label = answer.document_title.empty() ? "your document" : answer.document_title;
  if (answer.page) label += ", page " + std::to_string(*answer.page);
  return label;
}

}  // namespace companion::providers::llm
