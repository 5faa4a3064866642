#include "media/documents/docx_text.hpp"

#include <pugixml.hpp>

#include <array>
#include <cstring>
#include <optional>
#include <string>

#include "media/documents/text_builder.hpp"
#include "media/documents/zip_archive.hpp"

namespace companion::media {

namespace {

using core::ExtractionError;
using core::ExtractionErrorKind;

constexpr std::size_t kMaxMetadataBytes = 1u << 20;
constexpr std::size_t kMaxTitleBytes = 1024;

constexpr std::array<std::string_view, 3> kMainPartTypes = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml"};

// Element names without their namespace prefix: generators agree on "w:" in practice, but
// the prefix is only a convention.
std::string_view local_name(const pugi::xml_node& node) {
  const char* name = node.name();
  const char* colon = std::strrchr(name, ':');
  return colon == nullptr ? std::string_view(name) : std::string_view(colon + 1);
}

std::string_view attribute_value(const pugi::xml_node& node, std::string_view local) {
  for (const pugi::xml_attribute attribute : node.attributes()) {
    std::string_view name = attribute.name();
    const std::size_t colon = name.rfind(':');
    if (colon != std::string_view::npos) name = name.substr(colon + 1);
    if (name == local) return attribute.value();
  }
  return {};
}

std::optional<pugi::xml_document> parse_xml(const std::string& xml) {
  pugi::xml_document document;
  const auto parsed =
      document.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata);
  if (!parsed) return std::nullopt;
  return document;
}

// The main document part named in [Content_Types].xml, or empty when there is none.
std::string main_part_name(const ZipArchive& archive) {
  const auto content_types = archive.read("[Content_Types].xml", kMaxMetadataBytes);
  if (const auto* xml = std::get_if<std::string>(&content_types)) {
    if (const auto document = parse_xml(*xml)) {
      for (const pugi::xml_node node : document->document_element().children()) {
        if (local_name(node) != "Override") continue;
        const std::string_view type = attribute_value(node, "ContentType");
        const std::string_view part = attribute_value(node, "PartName");
        for (const std::string_view main_type : kMainPartTypes) {
          if (type == main_type && part.size() > 1) return std::string(part.substr(1));
        }
      }
    }
  }
  return archive.contains("word/document.xml") ? "word/document.xml" : "";
}

// dc:title from docProps/core.xml, when the author set one.
std::string core_title(const ZipArchive& archive) {
  const auto core = archive.read("docProps/core.xml", kMaxMetadataBytes);
  const auto* xml = std::get_if<std::string>(&core);
  if (xml == nullptr) return "";
  const auto document = parse_xml(*xml);
  if (!document) return "";
  for (const pugi::xml_node node : document->document_element().children()) {
    if (local_name(node) == "title") {
      TextBuilder title(kMaxTitleBytes);
      title.append(node.text().get());
      return title.take_pages().front().text;
    }
  }
  return "";
}

// Walks the body without recursion (a hostile file may nest elements very deeply) and
// writes its text.
class BodyWriter {
 public:
  explicit BodyWriter(std::size_t max_bytes) : text_(max_bytes) {}

  void write(const pugi::xml_node& body) {
    pugi::xml_node node = body.first_child();
    while (node && !text_.overflowed()) {
      if (enter(node) && node.first_child()) {
        node = node.first_child();
        continue;
      }
      while (node != body) {
        leave(node);
        if (node.next_sibling()) {
          node = node.next_sibling();
          break;
        }
        node = node.parent();
      }
      if (node == body) break;
    }
  }

  TextBuilder& text() { return text_; }
  const std::string& title_paragraph() const { return title_paragraph_; }

 private:
  // Returns whether to descend into the element's children.
  bool enter(const pugi::xml_node& node) {
    if (node.type() != pugi::node_element) return false;
    const std::string_view name = local_name(node);
    if (name == "t") {
      text_.append(node.text().get());
      if (in_title_paragraph_ && title_paragraph_.size() < kMaxTitleBytes) {
        title_paragraph_.append(node.text().get());
      }
      return false;
    }
    if (name == "tab") text_.append(" ");
    if (name == "br" || name == "cr") {
      attribute_value(node, "type") == "page" ? text_.page_break() : text_.line_break();
    }
    if (name == "tr") cells_in_row_ = 0;
    if (name == "tc" && cells_in_row_++ > 0) text_.append(" | ");
    if (name == "tbl") ++table_depth_;
    if (name == "pStyle" && attribute_value(node, "val") == "Title") {
      in_title_paragraph_ = title_paragraph_.empty();
    }
    if (name == "pageBreakBefore" && attribute_value(node, "val") != "0" &&
        attribute_value(node, "val") != "false") {
      text_.page_break();
    }
    // Deleted revisions, field instructions and the fallback copy of drawing content.
    return name != "delText" && name != "instrText" && name != "Fallback" && name != "rPr";
  }

  void leave(const pugi::xml_node& node) {
    if (node.type() != pugi::node_element) return;
    const std::string_view name = local_name(node);
    if (name == "p") {
      in_title_paragraph_ = false;
      table_depth_ > 0 ? text_.append(" ") : text_.paragraph_break();
    } else if (name == "tr") {
      text_.line_break();
    } else if (name == "tbl") {
      --table_depth_;
      text_.paragraph_break();
    }
  }

  TextBuilder text_;
  int cells_in_row_ = 0;
  int table_depth_ = 0;
  bool in_title_paragraph_ = false;
  std::string title_paragraph_;
};

ExtractionError not_a_word_document() {
  return {ExtractionErrorKind::unsupported_type, "zip archive is not a Word document"};
}

}  // namespace

core::ExtractionResult extract_docx(std::string_view bytes, const core::ExtractionLimits& limits) {
  const auto archive = ZipArchive::open(bytes);
  if (!archive) {
    return ExtractionError{ExtractionErrorKind::corrupt, "the zip archive is damaged"};
  }
  const std::string main_part = main_part_name(*archive);
  if (main_part.empty()) return not_a_word_document();
  auto xml = archive->read(main_part, limits.max_part_bytes);
  if (auto* error = std::get_if<ExtractionError>(&xml)) return std::move(*error);
  const auto document = parse_xml(std::get<std::string>(xml));
  if (!document) {
    return ExtractionError{ExtractionErrorKind::corrupt,
                           "the Word document's text (" + main_part + ") is not well-formed XML"};
  }
  const pugi::xml_node body = document->document_element().find_child(
      [](const pugi::xml_node& child) { return local_name(child) == "body"; });
  if (!body) return ExtractionError{ExtractionErrorKind::corrupt, "the Word document has no body"};
  BodyWriter writer(limits.max_text_bytes);
  writer.write(body);
  if (writer.text().overflowed()) {
    return ExtractionError{ExtractionErrorKind::too_large,
                           "the Word document holds more text than the limit allows"};
  }
  std::string title = core_title(*archive);
  if (title.empty()) {
    TextBuilder fallback(kMaxTitleBytes * 2);
    fallback.append(writer.title_paragraph());
    title = fallback.take_pages().front().text;
  }
  return core::ExtractedDocument{"docx", std::move(title), writer.text().take_pages()};
}

}  // namespace companion::media
