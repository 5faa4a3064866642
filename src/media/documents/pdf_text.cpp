#include "media/documents/pdf_text.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <memory>
#include <string>

#include "media/documents/text_builder.hpp"

namespace companion::media {

namespace {

using core::ExtractionError;
using core::ExtractionErrorKind;

void ignore_poppler_message(const std::string&, void*) {}

// Poppler prints every syntax complaint about a broken file to stderr. The typed error
// already tells the user what is wrong, so its messages are dropped; this is a
// library-wide setting, made once.
void silence_poppler() {
  static const bool silenced = [] {
    poppler::set_debug_error_function(ignore_poppler_message, nullptr);
    return true;
  }();
  (void)silenced;
}

std::string to_utf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// Poppler ends lines with '\n' and may emit '\r' or form feeds; keep one line per line.
std::string normalise_page_text(const std::string& raw) {
  std::string text;
  text.reserve(raw.size());
  for (const char c : raw) {
    if (c == '\r' || c == '\f') {
      text.push_back('\n');
    } else if (c == '\n' || c == '\t' || static_cast<unsigned char>(c) >= 0x20) {
      text.push_back(c);
    }
  }
  return trim_text(text);
}

}  // namespace

core::ExtractionResult extract_pdf(std::string_view bytes, const core::ExtractionLimits& limits) {
  silence_poppler();
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return ExtractionError{ExtractionErrorKind::too_large,
                           "the PDF is larger than the limit allows"};
  }
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!document) {
    return ExtractionError{ExtractionErrorKind::corrupt, "the PDF is damaged and cannot be read"};
  }
  if (document->is_locked()) {
    return ExtractionError{ExtractionErrorKind::encrypted,
                           "the PDF is password-protected (encrypted)"};
  }
  const int page_count = document->pages();
  if (page_count <= 0) {
    return ExtractionError{ExtractionErrorKind::corrupt, "the PDF has no readable pages"};
  }
  if (page_count > limits.max_pages) {
    return ExtractionError{ExtractionErrorKind::too_large,
                           "the PDF has " + std::to_string(page_count) + " pages; the limit is " +
                               std::to_string(limits.max_pages)};
  }
  core::ExtractedDocument extracted{"pdf", trim_text(to_utf8(document->get_title())), {}};
  std::size_t total_bytes = 0;
  for (int index = 0; index < page_count; ++index) {
    std::unique_ptr<poppler::page> page(document->create_page(index));
    std::string text;
    if (page) {
      text = normalise_page_text(
          to_utf8(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout)));
    }
    total_bytes += text.size();
    if (total_bytes > limits.max_text_bytes) {
      return ExtractionError{ExtractionErrorKind::too_large,
                             "the PDF holds more text than the limit allows"};
    }
    extracted.pages.push_back({index + 1, std::move(text)});
  }
  return extracted;
}

}  // namespace companion::media
