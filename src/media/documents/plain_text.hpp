#pragma once
// Plain UTF-8 text: the byte-order mark goes, CRLF and CR become LF, other control
// characters (except tab) are dropped, and form feeds — the page separator of text exports
// such as pdftotext's — start a new page.
#include <string>
#include <string_view>

#include "core/knowledge/document_extractor.hpp"

namespace companion::media {

// The input without a leading UTF-8 byte-order mark.
std::string_view strip_utf8_bom(std::string_view text);

core::ExtractionResult extract_plain_text(std::string_view utf8,
                                          const core::ExtractionLimits& limits);

}  // namespace companion::media
