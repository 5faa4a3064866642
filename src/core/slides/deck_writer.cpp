#include "core/slides/deck_writer.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/knowledge/sentence_splitter.hpp"

namespace companion::core {
namespace {

constexpr std::size_t kMaxPoints = 4;         // list items per slide
constexpr std::size_t kMaxPointLength = 220;  // bytes; longer sentences are shortened
constexpr std::size_t kStemLength = 5;        // "management" meets "managing"

constexpr std::array<std::string_view, 14> kSmallWords = {
    "a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "by", "with", "vs"};

constexpr std::array<std::string_view, 24> kStopWords = {
    "a",    "an",    "the", "of",   "and", "or",  "for",  "to",  "in",   "on",   "at",   "by",
    "with", "about", "my",  "your", "our", "how", "what", "why", "some", "this", "that", "into"};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'' || c == '-' ||
        static_cast<unsigned char>(c) >= 0x80) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string trim(std::string_view text) {
  // ASCII only: trimming bytes of a multi-byte character would cut it in half.
  constexpr const char* marks = " \t\r\n\"'.,;:!?";
  auto begin = text.find_first_not_of(marks);
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(marks);
  return std::string(text.substr(begin, end == std::string_view::npos ? 0 : end - begin + 1));
}

// The stems of the topic's content words: what a relevant sentence mentions.
std::vector<std::string> stems_of(std::string_view topic) {
  std::vector<std::string> stems;
  for (auto& word : words_of(lower(topic))) {
    if (word.size() < 3) continue;
    if (std::find(kStopWords.begin(), kStopWords.end(), word) != kStopWords.end()) continue;
    stems.push_back(word.substr(0, kStemLength));
  }
  return stems;
}

bool mentions(std::string_view sentence, const std::vector<std::string>& stems) {
  auto text = lower(sentence);
  return std::any_of(stems.begin(), stems.end(),
                     [&](const std::string& stem) { return text.find(stem) != std::string::npos; });
}

// Cuts at a word boundary, never inside a UTF-8 sequence.
std::string shortened(std::string_view text) {
  if (text.size() <= kMaxPointLength) return std::string(text);
  std::size_t cut = text.rfind(' ', kMaxPointLength);
  if (cut == std::string_view::npos || cut < kMaxPointLength / 2) {
    cut = kMaxPointLength;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return std::string(text.substr(0, cut)) + "…";
}

std::vector<std::string> sentences_of(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& span : split_sentences(text))
    out.emplace_back(text.substr(span.begin, span.end - span.begin));
  return out;
}

bool talks_about_slides(std::string_view sentence) {
  auto text = lower(sentence);
  for (std::string_view word : {"slide", "presentation", "deck"})
    if (text.find(word) != std::string::npos) return true;
  return false;
}

void add_unique(std::vector<std::string>& points, std::string point) {
  if (point.empty() || points.size() >= kMaxPoints) return;
  if (std::find(points.begin(), points.end(), point) == points.end())
    points.push_back(std::move(point));
}

// Sentences of the passages that mention the subject; the search ranked the passages by
// meaning, so when none names it the best passage's opening still belongs.
std::vector<std::string> key_points(const std::vector<std::string>& passages,
                                    const std::vector<std::string>& stems) {
  std::vector<std::string> points;
  for (const auto& passage : passages) {
    for (const auto& sentence : sentences_of(passage))
      if (mentions(sentence, stems)) add_unique(points, shortened(sentence));
  }
  if (points.empty() && !passages.empty()) {
    auto opening = sentences_of(passages.front());
    for (std::size_t i = 0; i < opening.size() && i < 2; ++i)
      add_unique(points, shortened(opening[i]));
  }
  return points;
}

std::vector<std::string> conversation_points(const std::vector<std::string>& messages,
                                             const std::vector<std::string>& stems) {
  std::vector<std::string> points;
  for (const auto& message : messages) {
    for (const auto& sentence : sentences_of(message)) {
      if (mentions(sentence, stems) && !talks_about_slides(sentence))
        add_unique(points, shortened(sentence));
    }
  }
  return points;
}

std::vector<std::string> first_points(const std::vector<std::string>& lines) {
  std::vector<std::string> points;
  for (const auto& line : lines) add_unique(points, shortened(trim(line)));
  return points;
}

SlideBlock header(std::string text, int level = 2) {
  return {SlideBlock::Kind::Header, std::move(text), level, {}, false};
}
SlideBlock paragraph(std::string text) {
  return {SlideBlock::Kind::Paragraph, std::move(text), 0, {}, false};
}
SlideBlock list(std::vector<std::string> items, bool ordered = false) {
  return {SlideBlock::Kind::List, {}, 0, std::move(items), ordered};
}

std::string source_clause(bool documents, bool memories) {
  if (documents && memories) return ", drawing on your documents and what you've told me";
  if (documents) return ", drawing on your documents";
  if (memories) return ", drawing on what you've told me";
  return "";
}

std::string first_word_of(std::string_view text) {
  auto words = words_of(lower(text));
  return words.empty() ? std::string() : words.front();
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// What follows the words that introduce a slide's subject: "a slide about X" → "X".
std::string subject_after_verb(std::string_view instructions) {
  auto words = words_of(instructions);
  std::size_t i = 1;  // past the verb
  auto skip = [&](std::initializer_list<std::string_view> list) {
    bool skipped = false;
    while (i < words.size() && is_one_of(lower(words[i]), list)) {
      ++i;
      skipped = true;
    }
    return skipped;
  };
  skip({"a", "an", "the", "one", "another", "new", "more", "extra", "short", "quick"});
  skip({"slide", "slides", "section", "page", "part"});
  skip({"about", "on", "covering", "for", "with", "regarding", "explaining", "that", "explains",
        "to", "explain", "of"});
  std::string subject;
  for (; i < words.size(); ++i) subject += (subject.empty() ? "" : " ") + words[i];
  return subject;
}

// "rename it to Q3 Plan", "change the title to 'Q3 Plan'": the words after the last "to"
// (or "titled", "called").
std::string new_title_in(std::string_view instructions) {
  auto text = lower(instructions);
  std::size_t at = std::string::npos;
  std::size_t length = 0;
  for (std::string_view marker : {" to ", " titled ", " called ", " as "}) {
    auto found = text.rfind(marker);
    if (found != std::string::npos && (at == std::string::npos || found > at)) {
      at = found;
      length = marker.size();
    }
  }
  if (at == std::string::npos) return {};
  return trim(instructions.substr(at + length));
}

}  // namespace

std::string title_case(std::string_view text) {
  std::string out;
  std::size_t index = 0;
  for (auto& word : words_of(trim(text))) {
    bool small =
        std::find(kSmallWords.begin(), kSmallWords.end(), lower(word)) != kSmallWords.end();
    bool has_upper =
        std::any_of(word.begin(), word.end(), [](unsigned char c) { return std::isupper(c) != 0; });
    if (!has_upper && !(small && index > 0))
      word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    if (!out.empty()) out += ' ';
    out += word;
    ++index;
  }
  return out;
}

std::vector<SlideBlock> write_slide(std::string_view subject, const DeckMaterial& material) {
  auto stems = stems_of(subject);
  std::vector<SlideBlock> blocks{header(title_case(subject))};
  auto points = key_points(material.passages, stems);
  for (auto& point : conversation_points(material.conversation, stems))
    add_unique(points, std::move(point));
  if (points.empty()) {
    std::string topic = trim(subject);
    blocks.push_back(paragraph("What " + topic + " means for you, and one way to start on it."));
    points = {"What is already working", "What gets in the way", "One small step to try this week"};
  }
  blocks.push_back(list(std::move(points)));
  return blocks;
}

DeckDraft write_deck(std::string_view title, std::string_view topic, const DeckMaterial& material) {
  DeckDraft deck;
  std::string subject = trim(topic.empty() ? title : topic);
  deck.title = title.empty() ? title_case(subject) : trim(title);
  auto stems = stems_of(subject);
  auto documents = key_points(material.passages, stems);
  auto memories = first_points(material.memories);
  auto said = conversation_points(material.conversation, stems);

  std::vector<SlideBlock> slides;
  if (!documents.empty()) {
    slides.push_back(header("Key Points"));
    slides.push_back(list(documents));
  } else {
    slides.push_back(header("Why " + title_case(subject) + " Matters"));
    slides.push_back(paragraph("A clear picture of " + subject +
                               " helps you decide what to do next, and why it is worth it."));
    slides.push_back(header("Questions to Ask Yourself"));
    slides.push_back(list({"What does " + subject + " mean for you right now?",
                           "What is already working, and what is not?",
                           "What would good look like a month from now?"}));
  }
  if (!memories.empty()) {
    slides.push_back(header("What You've Told Me"));
    slides.push_back(list(memories));
  }
  if (!said.empty()) {
    slides.push_back(header("From Our Conversation"));
    slides.push_back(list(said));
  }
  slides.push_back(header("Next Steps"));
  slides.push_back(list({"Pick one small action on " + subject + " for this week",
                         "Put it in your calendar", "Review how it went and adjust"},
                        true));

  std::size_t count = std::count_if(slides.begin(), slides.end(), [](const SlideBlock& b) {
    return b.kind == SlideBlock::Kind::Header;
  });
  deck.summary = std::to_string(count) + " slides on " + subject +
                 source_clause(!documents.empty(), !memories.empty()) + ".";
  deck.blocks.push_back(header(deck.title, 1));
  deck.blocks.push_back(paragraph(deck.summary));
  deck.blocks.insert(deck.blocks.end(), slides.begin(), slides.end());
  return deck;
}

DeckEdit read_deck_edit(std::string_view instructions) {
  std::string verb = first_word_of(instructions);
  auto text = lower(instructions);
  if (is_one_of(verb, {"add", "insert", "include", "append", "put"}))
    return {DeckEditKind::AddSlide, subject_after_verb(instructions)};
  if (is_one_of(verb, {"rename", "retitle", "title"}) ||
      (is_one_of(verb, {"change", "set"}) && text.find("title") != std::string::npos))
    return {DeckEditKind::Retitle, new_title_in(instructions)};
  if (is_one_of(verb, {"remove", "delete", "drop", "cut"}))
    return {DeckEditKind::RemoveLastSlide, {}};
  if (is_one_of(verb,
                {"update", "edit", "change", "modify", "revise", "improve", "fix", "rework",
                 "expand", "extend", "redo", "tweak", "adjust", "polish", "rewrite", "refresh"}))
    return {DeckEditKind::Rewrite, {}};
  return {};
}

}  // namespace companion::core
