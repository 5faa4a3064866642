#include "media/documents/plain_text.hpp"

#include "media/documents/text_builder.hpp"

namespace companion::media {

std::string_view strip_utf8_bom(std::string_view text) {
  return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
}

core::ExtractionResult extract_plain_text(std::string_view utf8,
                                          const core::ExtractionLimits& limits) {
  const std::string_view text = strip_utf8_bom(utf8);
  if (text.size() > limits.max_text_bytes) {
    return core::ExtractionError{core::ExtractionErrorKind::too_large,
                                 "the text file is larger than the limit allows"};
  }
  std::vector<core::DocumentPage> pages;
  std::string page;
  page.reserve(text.size());
  auto finish_page = [&] {
    pages.push_back({static_cast<int>(pages.size()) + 1, trim_text(page)});
    page.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') page.push_back('\n');
    } else if (c == '\f') {
      finish_page();
    } else if (c == '\n' || c == '\t' || static_cast<unsigned char>(c) >= 0x20) {
      page.push_back(c);
    }
  }
  finish_page();
  return core::ExtractedDocument{"text", "", std::move(pages)};
}

}  // namespace companion::media
