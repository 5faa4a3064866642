#pragma once
// Writes Word documents (DOCX) and plain zips for tests, with libzip: the parts Word itself
// writes ([Content_Types].xml, the package relationships, word/document.xml and, when a
// title is given, docProps/core.xml).
#include <string>
#include <utility>
#include <vector>

namespace companion::testing {

using ZipEntries = std::vector<std::pair<std::string, std::string>>;  // name, content

// A zip holding `entries`, deflated.
std::string make_zip(const ZipEntries& entries);

// One Word paragraph per string (XML-escaped).
std::string make_docx(const std::vector<std::string>& paragraphs);

// A DOCX whose <w:body> holds `body_xml` as given (paragraphs, tables, headings, breaks).
std::string make_docx_with_body(const std::string& body_xml, const std::string& title = "");

// "<w:p><w:r><w:t>text</w:t></w:r></w:p>", optionally with a paragraph style ("Heading1").
std::string docx_paragraph(const std::string& text, const std::string& style = "");

}  // namespace companion::testing
