#pragma once
// The port through which the knowledge base turns an uploaded file into text. The type is
// decided by the bytes themselves (a PDF renamed to .txt is still a PDF); the filename only
// breaks ties that content cannot, such as Markdown versus plain text. `media/documents`
// implements it with real parsers; the knowledge service only sees pages of UTF-8 text.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace companion::core {

struct DocumentPage {
  int number = 1;  // 1-based, as a reader would cite it
  std::string text;
};

struct ExtractedDocument {
  std::string detected_type;  // "pdf", "docx", "markdown", "html", "text"
  std::string title;          // empty when the format carries none
  std::vector<DocumentPage> pages;
};

enum class ExtractionErrorKind { unsupported_type, encrypted, corrupt, empty, too_large };

// A stable lower-case name ("unsupported_type", …) for logs and API error codes.
std::string_view to_string(ExtractionErrorKind kind);

struct ExtractionError {
  ExtractionErrorKind kind = ExtractionErrorKind::corrupt;
  std::string message;  // says what is wrong with the file, in words a user understands
};

// Bounds that keep a hostile upload from exhausting memory or time.
struct ExtractionLimits {
  std::size_t max_input_bytes = 64u << 20;
  int max_pages = 5000;
  std::size_t max_part_bytes = 64u << 20;  // one uncompressed zip entry (zip bombs)
  std::size_t max_text_bytes = 32u << 20;  // all extracted text together
};

class ExtractionResult {
 public:
  ExtractionResult(ExtractedDocument document) : value_(std::move(document)) {}
  ExtractionResult(ExtractionError error) : value_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<ExtractedDocument>(value_); }
  const ExtractedDocument& document() const { return std::get<ExtractedDocument>(value_); }
  ExtractedDocument& document() { return std::get<ExtractedDocument>(value_); }
  const ExtractionError& error() const { return std::get<ExtractionError>(value_); }

 private:
  std::variant<ExtractedDocument, ExtractionError> value_;
};

class DocumentExtractor {
 public:
  virtual ~DocumentExtractor() = default;
  // Blocking and CPU-bound: call from the worker pool. Never throws on bad bytes; every
  // problem with the file comes back as an ExtractionError.
  virtual ExtractionResult extract(std::string_view bytes,
                                   std::string_view filename_hint) const = 0;
};

}  // namespace companion::core
