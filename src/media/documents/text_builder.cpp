#include "media/documents/text_builder.hpp"

namespace companion::media {

namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// U+00A0 (no-break space) is layout, not content: it collapses like a space.
bool is_nbsp_at(std::string_view text, std::size_t pos) {
  return pos + 1 < text.size() && text[pos] == '\xC2' && text[pos + 1] == '\xA0';
}

}  // namespace

bool TextBuilder::reserve(std::size_t bytes) {
  if (overflowed_ || written_ + bytes > max_bytes_) {
    overflowed_ = true;
    return false;
  }
  written_ += bytes;
  return true;
}

void TextBuilder::trim_trailing_spaces() {
  while (!page_.empty() && (page_.back() == ' ' || page_.back() == '\t')) page_.pop_back();
}

void TextBuilder::append(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const bool nbsp = is_nbsp_at(text, pos);
    if (nbsp || is_ascii_space(text[pos])) {
      pos += nbsp ? 2 : 1;
      const bool at_line_start = page_.empty() || page_.back() == '\n';
      if (!at_line_start && page_.back() != ' ' && reserve(1)) page_.push_back(' ');
      continue;
    }
    std::size_t end = pos;
    while (end < text.size() && !is_ascii_space(text[end]) && !is_nbsp_at(text, end)) ++end;
    if (!reserve(end - pos)) return;
    page_.append(text.substr(pos, end - pos));
    pos = end;
  }
}

void TextBuilder::append_preformatted(std::string_view text) {
  for (const char c : text) {
    if (c == '\r') continue;
    if (!reserve(1)) return;
    page_.push_back(c == '\f' || c == '\v' ? '\n' : c);
  }
}

void TextBuilder::line_break() {
  trim_trailing_spaces();
  if (!page_.empty() && page_.back() != '\n' && reserve(1)) page_.push_back('\n');
}

void TextBuilder::paragraph_break() {
  line_break();
  const bool blank_line_already = page_.size() >= 2 && page_.ends_with("\n\n");
  if (!page_.empty() && !blank_line_already && reserve(1)) page_.push_back('\n');
}

void TextBuilder::finish_page() {
  pages_.push_back({static_cast<int>(pages_.size()) + 1, trim_text(page_)});
  page_.clear();
}

void TextBuilder::page_break() {
  if (reserve(sizeof(core::DocumentPage))) finish_page();
}

std::vector<core::DocumentPage> TextBuilder::take_pages() {
  finish_page();  // always at least one page, even after an overflow
  return std::move(pages_);
}

std::string trim_text(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_ascii_space(text[begin])) ++begin;
  while (end > begin && is_ascii_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

}  // namespace companion::media
