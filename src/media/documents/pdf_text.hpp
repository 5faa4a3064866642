#pragma once
// Text of a PDF, page by page, with poppler-cpp in reading order. A password-protected
// PDF is `encrypted`, one poppler cannot open is `corrupt`, and one with more pages than
// the limit is `too_large` before any page is read. The Info dictionary's Title is the title.
#include <string_view>

#include "core/knowledge/document_extractor.hpp"

namespace companion::media {

core::ExtractionResult extract_pdf(std::string_view bytes, const core::ExtractionLimits& limits);

}  // namespace companion::media
