#include "media/documents/html_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "media/documents/html_entities.hpp"
#include "media/documents/text_builder.hpp"

namespace companion::media {

namespace {

constexpr std::size_t kMaxTagName = 16;
constexpr std::size_t kMaxTitleBytes = 1024;

// Elements whose content is never text a reader sees.
constexpr std::array<std::string_view, 7> kHiddenElements = {
    "script", "style", "noscript", "template", "svg", "math", "iframe"};

constexpr std::array<std::string_view, 27> kParagraphElements = {
    "p",     "div",  "section",  "article", "header", "footer", "main", "aside",      "nav",
    "h1",    "h2",   "h3",       "h4",      "h5",     "h6",     "ul",   "ol",         "dl",
    "table", "form", "fieldset", "address", "figure", "hr",     "pre",  "blockquote", "body"};

constexpr std::array<std::string_view, 8> kLineElements = {"br", "li",      "tr",         "dt",
                                                           "dd", "caption", "figcaption", "option"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool starts_with_nocase(std::string_view text, std::size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) != prefix[i]) return false;
  }
  return true;
}

struct Tag {
  std::string name;  // lower case; empty for comments, doctypes and stray '<'
  bool closing = false;
  std::size_t end = 0;  // first byte after the tag
};

// Skips to the '>' that ends a tag, honouring quoted attribute values.
std::size_t skip_tag_body(std::string_view html, std::size_t pos) {
  char quote = 0;
  for (; pos < html.size(); ++pos) {
    const char c = html[pos];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return pos + 1;
    }
  }
  return html.size();
}

// Reads the markup starting at html[pos] == '<'. Returns end == pos when the '<' is just a
// character of text ("a < b").
Tag read_tag(std::string_view html, std::size_t pos) {
  if (html.compare(pos, 4, "<!--") == 0) {
    const std::size_t close = html.find("-->", pos + 4);
    return {"", false, close == std::string_view::npos ? html.size() : close + 3};
  }
  if (pos + 1 < html.size() && (html[pos + 1] == '!' || html[pos + 1] == '?')) {
    return {"", false, skip_tag_body(html, pos + 2)};
  }
  Tag tag;
  std::size_t i = pos + 1;
  if (i < html.size() && html[i] == '/') tag.closing = true, ++i;
  if (i >= html.size() || !std::isalpha(static_cast<unsigned char>(html[i]))) {
    return {"", false, pos};
  }
  while (i < html.size() && tag.name.size() < kMaxTagName &&
         (std::isalnum(static_cast<unsigned char>(html[i])) || html[i] == '-')) {
    tag.name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(html[i]))));
    ++i;
  }
  tag.end = skip_tag_body(html, i);
  return tag;
}

// End of raw text content (script, style, title): the start of "</name" or end of input.
std::size_t find_raw_text_end(std::string_view html, std::size_t pos, std::string_view name) {
  const std::string closing = "</" + std::string(name);
  for (std::size_t i = html.find('<', pos); i != std::string_view::npos;
       i = html.find('<', i + 1)) {
    if (starts_with_nocase(html, i, closing)) return i;
  }
  return html.size();
}

class HtmlScanner {
 public:
  HtmlScanner(std::string_view html, const core::ExtractionLimits& limits)
      : html_(html), text_(limits.max_text_bytes) {}

  core::ExtractionResult run() {
    std::size_t pos = 0;
    while (pos < html_.size() && !text_.overflowed()) {
      pos = html_[pos] == '<' ? markup(pos) : text_run(pos);
    }
    if (text_.overflowed()) {
      return core::ExtractionError{core::ExtractionErrorKind::too_large,
                                   "the HTML page holds more text than the limit allows"};
    }
    return core::ExtractedDocument{"html", title_, text_.take_pages()};
  }

 private:
  std::size_t text_run(std::size_t pos) {
    const std::size_t end = std::min(html_.find('<', pos + 1), html_.size());
    const std::string decoded = decode_html_entities(html_.substr(pos, end - pos));
    if (preformatted_ > 0) {
      text_.append_preformatted(decoded);
    } else {
      text_.append(decoded);
    }
    return end;
  }

  std::size_t markup(std::size_t pos) {
    const Tag tag = read_tag(html_, pos);
    if (tag.end == pos) {
      text_.append("<");
      return pos + 1;
    }
    if (tag.name.empty()) return tag.end;
    const bool raw_text = contains(kHiddenElements, tag.name) || tag.name == "title";
    if (!tag.closing && raw_text && !self_closing(tag)) return raw_text_element(tag);
    if (tag.name == "pre") {
      preformatted_ = tag.closing ? std::max(preformatted_, 1) - 1 : preformatted_ + 1;
    }
    if (tag.name == "tr" && !tag.closing) cells_in_row_ = 0;
    if (contains(kParagraphElements, tag.name)) {
      text_.paragraph_break();
    } else if (contains(kLineElements, tag.name)) {
      text_.line_break();
    } else if ((tag.name == "td" || tag.name == "th") && !tag.closing) {
      if (cells_in_row_++ > 0) text_.append(" | ");
    }
    return tag.end;
  }

  // "<svg/>" or "<script src=x />" (XHTML) has no content to skip.
  bool self_closing(const Tag& tag) const { return tag.end >= 2 && html_[tag.end - 2] == '/'; }

  // Skips a hidden element's content; keeps the first <title> as the document title.
  std::size_t raw_text_element(const Tag& tag) {
    const std::size_t end = find_raw_text_end(html_, tag.end, tag.name);
    if (tag.name == "title" && title_.empty()) {
      const std::string_view raw = html_.substr(tag.end, std::min(end - tag.end, kMaxTitleBytes));
      TextBuilder title(kMaxTitleBytes * 4);
      title.append(decode_html_entities(raw));
      title_ = title.take_pages().front().text;
    }
    return end == html_.size() ? end : read_tag(html_, end).end;
  }

  std::string_view html_;
  TextBuilder text_;
  std::string title_;
  int preformatted_ = 0;
  int cells_in_row_ = 0;
};

}  // namespace

core::ExtractionResult extract_html(std::string_view utf8, const core::ExtractionLimits& limits) {
  return HtmlScanner(utf8, limits).run();
}

}  // namespace companion::media
