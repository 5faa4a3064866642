#pragma once
// Writes slide content without a language model: a deck about a topic, or one more slide,
// from what the user's own material says about it (document passages, memories, the
// session's recent messages), with a coaching outline (why it matters, questions to ask,
// next steps) where the material is silent. Also reads what an instruction asks of an
// existing deck ("add a slide about budgets", "rename it to Q3 Plan", "remove the last slide").
#include <string>
#include <string_view>
#include <vector>

#include "core/slides/editorjs_document.hpp"

namespace companion::core {

struct DeckMaterial {
  std::vector<std::string> passages;      // document passages about the subject, best first
  std::vector<std::string> memories;      // what the user told the companion, best first
  std::vector<std::string> conversation;  // the session's recent messages, oldest first
};

struct DeckDraft {
  std::string title;
  std::string summary;
  std::vector<SlideBlock> blocks;
};

// A new deck; an empty title is made from the topic.
DeckDraft write_deck(std::string_view title, std::string_view topic, const DeckMaterial& material);

// One slide (a level-2 header and its content) about the subject.
std::vector<SlideBlock> write_slide(std::string_view subject, const DeckMaterial& material);

enum class DeckEditKind { None, AddSlide, Retitle, RemoveLastSlide, Rewrite };
struct DeckEdit {
  DeckEditKind kind = DeckEditKind::None;
  std::string subject;  // AddSlide: what the slide is about; Retitle: the new title
};

// What the instruction asks of an existing deck, read from its first word ("add …",
// "rename …", "remove …", "update …"); None when it asks for no edit (a new deck).
DeckEdit read_deck_edit(std::string_view instructions);

// "time management" → "Time Management"; small words stay lower case inside a title.
std::string title_case(std::string_view text);

}  // namespace companion::core
