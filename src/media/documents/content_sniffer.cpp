#include "media/documents/content_sniffer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/knowledge/utf8_text.hpp"
#include "media/documents/plain_text.hpp"

namespace companion::media {

namespace {

// PDF readers accept the header anywhere in the first kilobyte (after junk bytes).
constexpr std::size_t kPdfHeaderWindow = 1024;
constexpr std::size_t kHtmlSniffWindow = 1024;

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kBinaryMagic = {{
    {"\x89PNG", "a PNG image"},
    {"\xFF\xD8\xFF", "a JPEG image"},
    {"GIF8", "a GIF image"},
    {"\x1F\x8B", "a gzip archive"},
    {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
    {"Rar!", "a RAR archive"},
    {"ID3", "an MP3 audio file"},
    {"OggS", "an Ogg media file"},
    {"RIFF", "a RIFF media file"},
    {"\x7F"
     "ELF",
     "an executable"},
}};

constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
// The stream name an encrypted OOXML file keeps inside its OLE container, in UTF-16LE.
constexpr std::string_view kEncryptedPackage =
    std::string_view("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);

// Tags that make a text an HTML document whatever its name.
constexpr std::array<std::string_view, 4> kConclusiveHtml = {"<!doctype html", "<html", "<head",
                                                             "<body"};
// The rest of the WHATWG sniffing list: HTML unless the filename says Markdown.
constexpr std::array<std::string_view, 15> kLikelyHtml = {
    "<script", "<iframe", "<h1", "<div", "<font", "<table", "<a",   "<style",
    "<title",  "<b",      "<br", "<p",   "<!--",  "<meta",  "<link"};

std::string lower_extension(std::string_view filename) {
  const std::size_t dot = filename.rfind('.');
  const std::size_t slash = filename.find_last_of("/\\");
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  std::string ext(filename.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool is_markdown_extension(std::string_view ext) {
  return ext == "md" || ext == "markdown" || ext == "mdown" || ext == "mkd" || ext == "mkdn";
}

bool is_html_extension(std::string_view ext) {
  return ext == "html" || ext == "htm" || ext == "xhtml";
}

// The tag is followed by a space, '>' or '/' (so "<b" does not match "<blink").
bool starts_with_tag(std::string_view lower_text, std::string_view tag) {
  if (!lower_text.starts_with(tag)) return false;
  if (tag == "<!--") return true;
  if (lower_text.size() == tag.size()) return false;
  const char next = lower_text[tag.size()];
  return next == ' ' || next == '>' || next == '/' || next == '\t' || next == '\n' || next == '\r';
}

// The first kilobyte after the BOM, whitespace and an XML declaration, lower-cased.
std::string html_sniff_window(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  if (text.substr(pos).starts_with("<?xml")) {
    const std::size_t close = text.find("?>", pos);
    pos = close == std::string_view::npos ? text.size() : close + 2;
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  }
  std::string window(text.substr(pos, kHtmlSniffWindow));
  std::transform(window.begin(), window.end(), window.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return window;
}

template <std::size_t N>
bool starts_with_any_tag(std::string_view lower_text, const std::array<std::string_view, N>& tags) {
  return std::any_of(tags.begin(), tags.end(),
                     [&](std::string_view tag) { return starts_with_tag(lower_text, tag); });
}

Sniffed sniff_text(std::string_view text, std::string_view ext) {
  const std::string window = html_sniff_window(text);
  // "<!DOCTYPE html PUBLIC …" has more after "html"; XHTML puts a doctype before <html>.
  if (window.starts_with("<!doctype html") || starts_with_any_tag(window, kConclusiveHtml)) {
    return {SniffedType::html, ""};
  }
  if (is_markdown_extension(ext)) return {SniffedType::markdown, ""};
  if (starts_with_any_tag(window, kLikelyHtml) || is_html_extension(ext)) {
    return {SniffedType::html, ""};
  }
  return {SniffedType::text, ""};
}

Sniffed sniff_binary(std::string_view bytes) {
  if (bytes.starts_with(kOleMagic)) {
    if (bytes.find(kEncryptedPackage) != std::string_view::npos) {
      return {SniffedType::encrypted_office, ""};
    }
    return {SniffedType::unsupported,
            "a legacy Microsoft Office file (.doc); save it as DOCX or PDF"};
  }
  for (const auto& [magic, description] : kBinaryMagic) {
    if (bytes.starts_with(magic)) return {SniffedType::unsupported, std::string(description)};
  }
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return {SniffedType::unsupported, "UTF-16 text (save it as UTF-8)"};
  }
  return {SniffedType::unsupported, "binary data, not UTF-8 text"};
}

// "%PDF-" at the start, or after a binary prefix within the first kilobyte (readers accept
// junk before the header) — but not in a text file that merely mentions "%PDF-1.7".
bool is_pdf(std::string_view bytes) {
  if (bytes.starts_with("%PDF-")) return true;
  const std::size_t header = bytes.substr(0, kPdfHeaderWindow).find("%PDF-");
  if (header == std::string_view::npos) return false;
  const std::string_view prefix = bytes.substr(0, header);
  return prefix.find('\0') != std::string_view::npos || !core::is_valid_utf8(prefix);
}

}  // namespace

Sniffed sniff_document(std::string_view bytes, std::string_view filename_hint) {
  if (is_pdf(bytes)) return {SniffedType::pdf, ""};
  if (bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06")) {
    return {SniffedType::zip, ""};
  }
  const std::string_view text = strip_utf8_bom(bytes);
  const bool has_nul = text.find('\0') != std::string_view::npos;
  if (has_nul || !core::is_valid_utf8(text)) return sniff_binary(bytes);
  // Formats that are valid text but markup we do not read; binary magics need no check here
  // because real images and audio are never valid UTF-8 ("ID3 tags…" is a sentence).
  if (text.starts_with("{\\rtf"))
    return {SniffedType::unsupported, "an RTF document (save it as DOCX or PDF)"};
  if (text.starts_with("%!PS")) return {SniffedType::unsupported, "a PostScript file"};
  return sniff_text(text, lower_extension(filename_hint));
}

}  // namespace companion::media
