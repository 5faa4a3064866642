#pragma once
// The DocumentExtractor the server uses: sniffs the bytes, hands them to the reader for
// their format, and applies the checks every format shares (input size, no text at all).
#include "core/knowledge/document_extractor.hpp"

namespace companion::media {

class ContentDocumentExtractor final : public core::DocumentExtractor {
 public:
  explicit ContentDocumentExtractor(core::ExtractionLimits limits = {}) : limits_(limits) {}

  core::ExtractionResult extract(std::string_view bytes,
                                 std::string_view filename_hint) const override;

 private:
  core::ExtractionResult extract_by_type(std::string_view bytes,
                                         std::string_view filename_hint) const;

  core::ExtractionLimits limits_;
};

}  // namespace companion::media
