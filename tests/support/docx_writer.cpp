#include "support/docx_writer.hpp"

#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace companion::testing {

namespace {

std::string xml_escape(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped.push_back(c);
    }
  }
  return escaped;
}

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>)"
    R"(</Types>)";

constexpr const char* kRelationships =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
    R"(</Relationships>)";

std::string document_xml(const std::string& body_xml) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
         R"(<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
         "<w:body>" +
         body_xml + "</w:body></w:document>";
}

std::string core_xml(const std::string& title) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
         R"(<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">)"
         "<dc:title>" +
         xml_escape(title) + "</dc:title></cp:coreProperties>";
}

}  // namespace

std::string make_zip(const ZipEntries& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* target = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = target ? zip_open_from_source(target, ZIP_TRUNCATE, &error) : nullptr;
  if (archive == nullptr) throw std::runtime_error("cannot create an in-memory zip");
  zip_source_keep(target);  // read the bytes back after zip_close
  for (const auto& [name, content] : entries) {
    // libzip frees the copy (freep = 1) once the archive is written.
    void* copy = std::malloc(content.size() + 1);
    std::memcpy(copy, content.data(), content.size());
    zip_source_t* source = zip_source_buffer(archive, copy, content.size(), 1);
    zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
  }
  zip_close(archive);
  std::string bytes;
  zip_source_open(target);
  zip_source_seek(target, 0, SEEK_END);
  bytes.resize(static_cast<std::size_t>(zip_source_tell(target)));
  zip_source_seek(target, 0, SEEK_SET);
  zip_source_read(target, bytes.data(), bytes.size());
  zip_source_close(target);
  zip_source_free(target);
  zip_error_fini(&error);
  return bytes;
}

std::string docx_paragraph(const std::string& text, const std::string& style) {
  const std::string properties =
      style.empty() ? "" : R"(<w:pPr><w:pStyle w:val=")" + style + R"("/></w:pPr>)";
  return "<w:p>" + properties + R"(<w:r><w:t xml:space="preserve">)" + xml_escape(text) +
         "</w:t></w:r></w:p>";
}

std::string make_docx(const std::vector<std::string>& paragraphs) {
  std::string body;
  for (const std::string& paragraph : paragraphs) body += docx_paragraph(paragraph);
  return make_docx_with_body(body);
}

std::string make_docx_with_body(const std::string& body_xml, const std::string& title) {
  ZipEntries entries = {{"[Content_Types].xml", kContentTypes},
                        {"_rels/.rels", kRelationships},
                        {"word/document.xml", document_xml(body_xml)}};
  if (!title.empty()) entries.push_back({"docProps/core.xml", core_xml(title)});
  return make_zip(entries);
}

}  // namespace companion::testing
