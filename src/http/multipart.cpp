#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>

#include "http/error.hpp"

namespace companion::http {

namespace {

constexpr std::string_view crlf = "\r\n";

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2046 §5.1.1: 1 to 70 characters from a restricted set, not ending in a space.
bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ') return false;
  constexpr std::string_view extra = "'()+_,-./:=? ";
  return std::all_of(b.begin(), b.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
  });
}

// A header value's parameters: `type; key=value; key="quoted \" value"`. Keys lower-cased.
struct HeaderValue {
  std::string type;
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string> param(std::string_view key) const {
    for (const auto& [k, v] : params)
      if (k == key) return v;
    return std::nullopt;
  }
};

HeaderValue parse_header_value(std::string_view text) {
  HeaderValue out;
  std::size_t i = 0;
  auto semi = text.find(';');
  out.type = lower(trim(text.substr(0, semi)));
  i = semi == std::string_view::npos ? text.size() : semi + 1;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ';')) ++i;
    std::size_t key_begin = i;
    while (i < text.size() && text[i] != '=' && text[i] != ';') ++i;
    std::string key = lower(trim(text.substr(key_begin, i - key_begin)));
    std::string value;
    if (i < text.size() && text[i] == '=') {
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < text.size()) {
          char c = text[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < text.size()) c = text[i++];
          value += c;
        }
        if (!closed) throw MultipartError("unterminated quoted string in a part header");
        while (i < text.size() && text[i] != ';') ++i;
      } else {
        std::size_t v = i;
        while (i < text.size() && text[i] != ';') ++i;
        value = std::string(trim(text.substr(v, i - v)));
      }
    }
    if (!key.empty()) out.params.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

void read_part_headers(std::string_view block, MultipartPart& part) {
  bool disposition = false;
  while (!block.empty()) {
    auto end = block.find(crlf);
    std::string_view line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 2);
    if (line.empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) throw MultipartError("part header line without a colon");
    auto name = lower(trim(line.substr(0, colon)));
    auto value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      auto v = parse_header_value(value);
      if (v.type != "form-data") throw MultipartError("part Content-Disposition is not form-data");
      auto field = v.param("name");
      if (!field) throw MultipartError("part Content-Disposition has no name");
      part.name = *field;
      part.filename = v.param("filename");
      disposition = true;
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!disposition) throw MultipartError("part without a Content-Disposition header");
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  HeaderValue v;
  try {
    v = parse_header_value(content_type);
  } catch (const MultipartError&) {
    return std::nullopt;
  }
  if (v.type != "multipart/form-data") return std::nullopt;
  auto boundary = v.param("boundary");
  if (!boundary || !valid_boundary(*boundary)) return std::nullopt;
  return boundary;
}

std::vector<MultipartPart> parse_multipart(std::string_view body, std::string_view boundary,
                                           const MultipartLimits& limits) {
  if (!valid_boundary(boundary)) throw MultipartError("invalid multipart boundary");
  const std::string delimiter = "--" + std::string(boundary);
  const std::string inner = "\r\n" + delimiter;  // a delimiter after a part's data

  // The first delimiter starts the body or a line; anything before it is preamble.
  std::size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    auto found = body.find(inner);
    if (found == std::string_view::npos) throw MultipartError("multipart body has no boundary");
    pos = found + inner.size();
  }

  std::vector<MultipartPart> parts;
  for (;;) {
    // After a delimiter: "--" closes the body; otherwise padding then CRLF starts a part.
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != crlf)
      throw MultipartError("boundary line is not followed by a line break");
    pos += 2;
    if (parts.size() >= limits.max_parts)
      throw MultipartError("too many parts (at most " + std::to_string(limits.max_parts) + ")");

    MultipartPart part;
    std::size_t data_begin;
    if (body.substr(pos, 2) == crlf) {  // no headers at all
      data_begin = pos + 2;
      read_part_headers({}, part);  // throws: every form part names its field
    } else {
      auto head_end = body.find("\r\n\r\n", pos);
      if (head_end == std::string_view::npos || head_end - pos > limits.max_header_bytes)
        throw MultipartError(head_end == std::string_view::npos ? "part headers are not terminated"
                                                                : "part headers are too long");
      read_part_headers(body.substr(pos, head_end - pos), part);
      data_begin = head_end + 4;
    }
    auto data_end = body.find(inner, data_begin);
    if (data_end == std::string_view::npos)
      throw MultipartError("multipart body ends without its closing boundary");
    part.data = body.substr(data_begin, data_end - data_begin);
    parts.push_back(std::move(part));
    pos = data_end + inner.size();
  }
}

MultipartForm::MultipartForm(const Request& req, const MultipartLimits& limits) {
  auto type = req.headers.get("Content-Type");
  auto boundary = type ? multipart_boundary(*type) : std::nullopt;
  if (!boundary)
    throw HttpError(400, "Expected a multipart/form-data body with a boundary parameter");
  try {
    parts_ = parse_multipart(req.body, *boundary, limits);
  } catch (const MultipartError& e) {
    throw HttpError(400, std::string("Malformed multipart body: ") + e.what());
  }
}

const MultipartPart* MultipartForm::find(std::string_view name) const {
  for (const auto& p : parts_)
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<std::string> MultipartForm::field(std::string_view name) const {
  const auto* p = find(name);
  if (!p) return std::nullopt;
  return std::string(p->data);
}

}  // namespace companion::http
