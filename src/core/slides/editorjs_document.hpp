#pragma once
// Slide content as Editor.js stores it: {"time": <ms>, "version": "2.28.2", "blocks": [...]},
// each block {"id", "type", "data"}. A slide is a level-2 header and the blocks under it;
// the level-1 header on top is the deck's title. Block text is HTML, so it is escaped.
// Documents edited by a client may hold block types of their own: edits keep them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace companion::core {

struct SlideBlock {
  enum class Kind { Header, Paragraph, List };
  Kind kind = Kind::Paragraph;
  std::string text;                // Header, Paragraph (plain text; escaped when written)
  int level = 2;                   // Header: 1 for the deck title, 2 for a slide
  std::vector<std::string> items;  // List
  bool ordered = false;            // List
};

// A new document of these blocks.
std::string editorjs_document(const std::vector<SlideBlock>& blocks, std::int64_t time_ms);

// True for a JSON object whose "blocks" is an array of objects that each have a "type".
bool is_editorjs_document(std::string_view json_text);

std::size_t block_count(std::string_view document_json);
// Slides: level-2 headers (a document without any counts as one slide when not empty).
std::size_t slide_count(std::string_view document_json);

// The document with the blocks added at its end.
std::string append_blocks(std::string_view document_json, const std::vector<SlideBlock>& blocks,
                          std::int64_t time_ms);
// The document with its title header (the first level-1 header) set, added when missing.
std::string retitle(std::string_view document_json, std::string_view title, std::int64_t time_ms);
// The document with the first paragraph reading `old_text` reading `new_text` instead (the
// summary under the title, when the summary changes); unchanged when there is none.
std::string replace_paragraph(std::string_view document_json, std::string_view old_text,
                              std::string_view new_text, std::int64_t time_ms);
// The document without its last slide (its last level-2 header and what follows it);
// nullopt when it has no slide to remove.
std::optional<std::string> remove_last_slide(std::string_view document_json, std::int64_t time_ms);

}  // namespace companion::core
