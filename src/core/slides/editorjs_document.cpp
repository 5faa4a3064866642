#include "core/slides/editorjs_document.hpp"

#include <boost/json.hpp>
#include <random>

namespace companion::core {
namespace {

namespace json = boost::json;

// The Editor.js release whose block format the documents follow.
constexpr std::string_view kEditorVersion = "2.28.2";

// Editor.js block ids: ten characters of [A-Za-z0-9_-].
std::string block_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  std::string id;
  std::uint64_t bits = rng();
  for (int i = 0; i < 10; ++i, bits >>= 6) id += alphabet[bits & 63];
  return id;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

json::object block_json(const SlideBlock& block) {
  json::object data;
  std::string_view type;
  switch (block.kind) {
    case SlideBlock::Kind::Header:
      type = "header";
      data = {{"text", escape_html(block.text)}, {"level", block.level}};
      break;
    case SlideBlock::Kind::Paragraph:
      type = "paragraph";
      data = {{"text", escape_html(block.text)}};
      break;
    case SlideBlock::Kind::List: {
      type = "list";
      json::array items;
      for (const auto& item : block.items) items.emplace_back(escape_html(item));
      data = {{"style", block.ordered ? "ordered" : "unordered"}, {"items", std::move(items)}};
      break;
    }
  }
  return {{"id", block_id()}, {"type", type}, {"data", std::move(data)}};
}

// The document as an object with a "blocks" array; anything else reads as an empty one.
json::object parse_document(std::string_view document_json) {
  boost::system::error_code ec;
  auto value = json::parse(document_json, ec);
  json::object document;
  if (!ec && value.is_object()) document = std::move(value.as_object());
  if (!document.contains("blocks") || !document["blocks"].is_array())
    document["blocks"] = json::array();
  return document;
}

std::string stamped(json::object document, std::int64_t time_ms) {
  document["time"] = time_ms;
  if (!document.contains("version")) document["version"] = kEditorVersion;
  return json::serialize(document);
}

bool is_header(const json::value& block, std::int64_t level) {
  if (!block.is_object()) return false;
  const auto* type = block.as_object().if_contains("type");
  const auto* data = block.as_object().if_contains("data");
  if (!type || !type->is_string() || type->as_string() != "header") return false;
  if (!data || !data->is_object()) return false;
  const auto* found = data->as_object().if_contains("level");
  return found && found->is_int64() && found->as_int64() == level;
}

}  // namespace

std::string editorjs_document(const std::vector<SlideBlock>& blocks, std::int64_t time_ms) {
  json::array out;
  for (const auto& block : blocks) out.push_back(block_json(block));
  return stamped(json::object{{"blocks", std::move(out)}, {"version", kEditorVersion}}, time_ms);
}

bool is_editorjs_document(std::string_view json_text) {
  boost::system::error_code ec;
  auto value = json::parse(json_text, ec);
  if (ec || !value.is_object()) return false;
  const auto* blocks = value.as_object().if_contains("blocks");
  if (!blocks || !blocks->is_array()) return false;
  for (const auto& block : blocks->as_array()) {
    if (!block.is_object()) return false;
    const auto* type = block.as_object().if_contains("type");
    if (!type || !type->is_string()) return false;
  }
  return true;
}

std::size_t block_count(std::string_view document_json) {
  return parse_document(document_json)["blocks"].as_array().size();
}

std::size_t slide_count(std::string_view document_json) {
  const auto document = parse_document(document_json);
  const auto& blocks = document.at("blocks").as_array();
  std::size_t slides = 0;
  for (const auto& block : blocks) slides += is_header(block, 2) ? 1 : 0;
  return slides == 0 && !blocks.empty() ? 1 : slides;
}

std::string append_blocks(std::string_view document_json, const std::vector<SlideBlock>& blocks,
                          std::int64_t time_ms) {
  auto document = parse_document(document_json);
  auto& out = document["blocks"].as_array();
  for (const auto& block : blocks) out.push_back(block_json(block));
  return stamped(std::move(document), time_ms);
}

std::string retitle(std::string_view document_json, std::string_view title, std::int64_t time_ms) {
  auto document = parse_document(document_json);
  auto& blocks = document["blocks"].as_array();
  for (auto& block : blocks) {
    if (is_header(block, 1)) {
      block.as_object()["data"].as_object()["text"] = escape_html(title);
      return stamped(std::move(document), time_ms);
    }
  }
  blocks.insert(blocks.begin(), block_json({SlideBlock::Kind::Header, std::string(title), 1}));
  return stamped(std::move(document), time_ms);
}

std::string replace_paragraph(std::string_view document_json, std::string_view old_text,
                              std::string_view new_text, std::int64_t time_ms) {
  auto document = parse_document(document_json);
  const std::string escaped = escape_html(old_text);
  for (auto& block : document["blocks"].as_array()) {
    if (!block.is_object()) continue;
    auto& object = block.as_object();
    const auto* type = object.if_contains("type");
    auto* data = object.if_contains("data");
    if (!type || !type->is_string() || type->as_string() != "paragraph") continue;
    if (!data || !data->is_object()) continue;
    auto* text = data->as_object().if_contains("text");
    if (!text || !text->is_string() || text->as_string() != escaped) continue;
    *text = escape_html(new_text);
    return stamped(std::move(document), time_ms);
  }
  return std::string(document_json);
}

std::optional<std::string> remove_last_slide(std::string_view document_json, std::int64_t time_ms) {
  auto document = parse_document(document_json);
  auto& blocks = document["blocks"].as_array();
  for (std::size_t i = blocks.size(); i-- > 0;) {
    if (!is_header(blocks[i], 2)) continue;
    blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(i), blocks.end());
    return stamped(std::move(document), time_ms);
  }
  return std::nullopt;
}

}  // namespace companion::core
