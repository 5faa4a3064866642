#include "providers/search/markup_text.hpp"

#include "media/documents/html_entities.hpp"

namespace companion::providers {

namespace {

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

// The end of the tag that starts at `pos` ('<'), just past its '>'; 0 when `pos` starts no
// tag. Quoted attribute values may hold a '>'.
std::size_t tag_end(std::string_view text, std::size_t pos) {
  if (pos + 1 >= text.size()) return 0;
  char next = text[pos + 1];
  if (!is_ascii_letter(next) && next != '/' && next != '!' && next != '?') return 0;
  char quote = 0;
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return 0;
}

// Appends `piece`, folding whitespace into single spaces and dropping it at the start.
void append_folded(std::string& out, std::string_view piece) {
  for (char c : piece) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string plain_text_from_markup(std::string_view markup) {
  std::string text;
  text.reserve(markup.size());
  std::size_t pos = 0;
  while (pos < markup.size()) {
    std::size_t open = markup.find('<', pos);
    if (open == std::string_view::npos) open = markup.size();
    std::size_t end = open < markup.size() ? tag_end(markup, open) : 0;
    // A stray '<' is text: keep it with what precedes it.
    std::size_t text_end = end == 0 && open < markup.size() ? open + 1 : open;
    append_folded(text, media::decode_html_entities(markup.substr(pos, text_end - pos)));
    pos = end == 0 ? text_end : end;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace companion::providers
