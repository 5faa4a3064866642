#pragma once
// Text of a Word document (DOCX: a zip of XML parts). The main part is found through
// [Content_Types].xml (falling back to word/document.xml); its paragraphs become
// paragraphs, table rows become lines with " | " between cells, headings stay as their own
// paragraphs, and explicit page breaks start a new page so citations can name a page.
// Deleted revisions, field codes and fallback copies of drawings are left out. A zip that
// holds no Word document is `unsupported_type`.
#include <string_view>

#include "core/knowledge/document_extractor.hpp"

namespace companion::media {

core::ExtractionResult extract_docx(std::string_view bytes, const core::ExtractionLimits& limits);

}  // namespace companion::media
