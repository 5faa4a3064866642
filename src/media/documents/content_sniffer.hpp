#pragma once
// Decides what a document is from its bytes: magic numbers for PDF, zip (a DOCX candidate)
// and common binary formats, markup sniffing for HTML (the WHATWG list of leading tags),
// and UTF-8 validity for text. The filename only breaks ties between text formats: a
// ".md" file is Markdown, and a ".html" file whose first tag is not conclusive is HTML.
#include <string>
#include <string_view>

namespace companion::media {

enum class SniffedType {
  pdf,
  zip,
  html,
  markdown,
  text,
  encrypted_office,  // an OLE container holding an EncryptedPackage (password-protected)
  unsupported,       // a known non-document format or bytes that are not UTF-8 text
};

struct Sniffed {
  SniffedType type = SniffedType::unsupported;
  std::string description;  // for `unsupported`: what the bytes look like, for the message
};

Sniffed sniff_document(std::string_view bytes, std::string_view filename_hint);

}  // namespace companion::media
