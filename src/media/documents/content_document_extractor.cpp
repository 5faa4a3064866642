#include "media/documents/content_document_extractor.hpp"

#include <algorithm>

#include "core/knowledge/utf8_text.hpp"
#include "media/documents/content_sniffer.hpp"
#include "media/documents/docx_text.hpp"
#include "media/documents/html_text.hpp"
#include "media/documents/markdown_text.hpp"
#include "media/documents/pdf_text.hpp"
#include "media/documents/plain_text.hpp"

namespace companion::media {

namespace {

using core::ExtractionError;
using core::ExtractionErrorKind;

bool has_text(const core::ExtractedDocument& document) {
  return std::any_of(document.pages.begin(), document.pages.end(), [](const auto& page) {
    return page.text.find_first_not_of(" \t\n") != std::string::npos;
  });
}

ExtractionError no_text_error(const core::ExtractedDocument& document) {
  std::string message = "the document contains no text";
  if (document.detected_type == "pdf") message += " (scanned pages would need OCR)";
  return {ExtractionErrorKind::empty, message};
}

// XML parsers and PDF text layers pass through whatever bytes a file holds; the rest of
// the server (JSON, full-text search) needs well-formed UTF-8.
void repair_text(core::ExtractedDocument& document) {
  document.title = core::repair_utf8(document.title);
  for (auto& page : document.pages) {
    if (!core::is_valid_utf8(page.text)) page.text = core::repair_utf8(page.text);
  }
}

}  // namespace

core::ExtractionResult ContentDocumentExtractor::extract(std::string_view bytes,
                                                         std::string_view filename_hint) const {
  if (bytes.size() > limits_.max_input_bytes) {
    return ExtractionError{ExtractionErrorKind::too_large,
                           "the file is " + std::to_string(bytes.size()) + " bytes; the limit is " +
                               std::to_string(limits_.max_input_bytes)};
  }
  core::ExtractionResult result = extract_by_type(bytes, filename_hint);
  if (!result.ok()) return result;
  if (!has_text(result.document())) return no_text_error(result.document());
  repair_text(result.document());
  return result;
}

core::ExtractionResult ContentDocumentExtractor::extract_by_type(
    std::string_view bytes, std::string_view filename_hint) const {
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return ExtractionError{ExtractionErrorKind::empty, "the document contains no text"};
  }
  const Sniffed sniffed = sniff_document(bytes, filename_hint);
  switch (sniffed.type) {
    case SniffedType::pdf:
      return extract_pdf(bytes, limits_);
    case SniffedType::zip:
      return extract_docx(bytes, limits_);
    case SniffedType::html:
      return extract_html(strip_utf8_bom(bytes), limits_);
    case SniffedType::markdown:
      return extract_markdown(strip_utf8_bom(bytes), limits_);
    case SniffedType::text:
      return extract_plain_text(bytes, limits_);
    case SniffedType::encrypted_office:
      return ExtractionError{ExtractionErrorKind::encrypted,
                             "the Office document is password-protected (encrypted)"};
    case SniffedType::unsupported:
      break;
  }
  return ExtractionError{ExtractionErrorKind::unsupported_type,
                         "unsupported file type: " + sniffed.description};
}

}  // namespace companion::media
