#pragma once
// Accumulates extracted text the way every structured format needs it: whitespace inside a
// paragraph collapses to single spaces, a line break starts a new line (table rows, <br>),
// a paragraph break leaves one blank line (which the chunker treats as a hard boundary),
// and a page break starts the next page. Stops growing at a byte limit so a hostile file
// cannot make it allocate without bound.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/knowledge/document_extractor.hpp"

namespace companion::media {

class TextBuilder {
 public:
  explicit TextBuilder(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  void append(std::string_view text);               // collapses whitespace
  void append_preformatted(std::string_view text);  // keeps line breaks (code, <pre>)
  void line_break();
  void paragraph_break();
  void page_break();  // a page costs its bookkeeping against the limit too

  bool overflowed() const { return overflowed_; }
  // Finishes the last page; pages are numbered from 1.
  std::vector<core::DocumentPage> take_pages();

 private:
  bool reserve(std::size_t bytes);
  void trim_trailing_spaces();
  void finish_page();

  std::size_t max_bytes_;
  std::size_t written_ = 0;
  bool overflowed_ = false;
  std::string page_;
  std::vector<core::DocumentPage> pages_;
};

// Trims spaces and line breaks from both ends, keeping inner text as it is.
std::string trim_text(std::string_view text);

}  // namespace companion::media
