#include "media/documents/markdown_text.hpp"

#include <md4c.h>

#include <string>

#include "media/documents/html_entities.hpp"
#include "media/documents/text_builder.hpp"

namespace companion::media {

namespace {

constexpr std::size_t kMaxTitleBytes = 1024;

struct MarkdownCollector {
  explicit MarkdownCollector(std::size_t max_bytes) : text(max_bytes) {}

  TextBuilder text;
  std::string title;
  bool in_title = false;  // inside the first level-1 heading
  int html_depth = 0;     // inside a raw HTML block: its text is markup, not content
  int cells_in_row = 0;

  void write(std::string_view piece, bool preformatted) {
    if (preformatted) {
      text.append_preformatted(piece);
    } else {
      text.append(piece);
    }
    if (in_title && title.size() + piece.size() <= kMaxTitleBytes) title.append(piece);
  }
};

MarkdownCollector& collector(void* userdata) {
  return *static_cast<MarkdownCollector*>(userdata);
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto& c = collector(userdata);
  switch (type) {
    case MD_BLOCK_HTML:
      ++c.html_depth;
      break;
    case MD_BLOCK_H:
      c.text.paragraph_break();
      c.in_title = c.title.empty() && static_cast<MD_BLOCK_H_DETAIL*>(detail)->level == 1;
      break;
    case MD_BLOCK_TR:
      c.cells_in_row = 0;
      c.text.line_break();
      break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (c.cells_in_row++ > 0) c.text.append(" | ");
      break;
    case MD_BLOCK_LI:
      c.text.line_break();
      break;
    default:
      break;
  }
  return c.text.overflowed() ? 1 : 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* userdata) {
  auto& c = collector(userdata);
  switch (type) {
    case MD_BLOCK_HTML:
      --c.html_depth;
      break;
    case MD_BLOCK_H:
      c.in_title = false;
      c.text.paragraph_break();
      break;
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
    case MD_BLOCK_TABLE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_HR:
      c.text.paragraph_break();
      break;
    case MD_BLOCK_LI:
    case MD_BLOCK_TR:
      c.text.line_break();
      break;
    default:
      break;
  }
  return c.text.overflowed() ? 1 : 0;
}

int on_span(MD_SPANTYPE, void*, void*) {
  return 0;
}

int on_text(MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size, void* userdata) {
  auto& c = collector(userdata);
  const std::string_view piece(data, size);
  if (c.html_depth > 0 || type == MD_TEXT_HTML) return 0;
  switch (type) {
    case MD_TEXT_BR:
      c.text.line_break();
      break;
    case MD_TEXT_SOFTBR:
      c.write(" ", false);
      break;
    case MD_TEXT_NULLCHAR:
      c.write("\xEF\xBF\xBD", false);
      break;
    case MD_TEXT_ENTITY:
      c.write(decode_html_entities(piece), false);
      break;
    case MD_TEXT_CODE:
      c.write(piece, true);
      break;
    default:
      c.write(piece, false);
      break;
  }
  return c.text.overflowed() ? 1 : 0;
}

}  // namespace

core::ExtractionResult extract_markdown(std::string_view utf8,
                                        const core::ExtractionLimits& limits) {
  MarkdownCollector c(limits.max_text_bytes);
  MD_PARSER parser{};
  parser.flags =
      MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS | MD_FLAG_PERMISSIVEAUTOLINKS;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = on_span;
  parser.leave_span = on_span;
  parser.text = on_text;
  const int status = md_parse(utf8.data(), static_cast<MD_SIZE>(utf8.size()), &parser, &c);
  if (c.text.overflowed()) {
    return core::ExtractionError{core::ExtractionErrorKind::too_large,
                                 "the Markdown document holds more text than the limit allows"};
  }
  if (status != 0) {
    return core::ExtractionError{core::ExtractionErrorKind::corrupt,
                                 "the Markdown document could not be parsed"};
  }
  TextBuilder title(kMaxTitleBytes * 2);
  title.append(c.title);
  return core::ExtractedDocument{"markdown", title.take_pages().front().text, c.text.take_pages()};
}

}  // namespace companion::media
