#include "core/knowledge/document_extractor.hpp"

namespace companion::core {

std::string_view to_string(ExtractionErrorKind kind) {
  switch (kind) {
    case ExtractionErrorKind::unsupported_type:
      return "unsupported_type";
    case ExtractionErrorKind::encrypted:
      return "encrypted";
    case ExtractionErrorKind::corrupt:
      return "corrupt";
    case ExtractionErrorKind::empty:
      return "empty";
    case ExtractionErrorKind::too_large:
      return "too_large";
  }
  return "corrupt";
}

}  // namespace companion::core
