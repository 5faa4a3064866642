#include "net/response_head.hpp"

#include <charconv>
#include <cstring>
#include <string_view>

#include <boost/beast/http/status.hpp>

namespace companion::net {

namespace {

// Fields whose value the serializer derives or merges itself.
bool is_framing_field(std::string_view name) {
  switch (name.size()) {
    case 10:
      return http::iequals(name, "Connection");
    case 14:
      return http::iequals(name, "Content-Length");
    case 17:
      return http::iequals(name, "Transfer-Encoding");
    default:
      return false;
  }
}

bool names_repeat(const http::Headers& headers) {
  const auto& fields = headers.fields();
  for (std::size_t i = 0; i < fields.size(); ++i)
    for (std::size_t j = i + 1; j < fields.size(); ++j)
      if (http::iequals(fields[i].first, fields[j].first)) return true;
  return false;
}

// Field values lose surrounding spaces and tabs, as the serializer stores them.
std::string_view trim_ows(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

// Copies into a buffer sized beforehand: the head is measured once, then filled.
class Filler {
 public:
  explicit Filler(char* at) : at_(at) {}
  Filler& put(std::string_view text) {
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
    return *this;
  }
  Filler& field(std::string_view name, std::string_view value) {
    return put(name).put(": ").put(value).put("\r\n");
  }

 private:
  char* at_;
};

constexpr std::size_t field_size(std::string_view name, std::string_view value) {
  return name.size() + value.size() + 4;  // ": " and CRLF
}

}  // namespace

bool format_response_head(int status, unsigned version, const http::Headers& headers,
                          bool keep_alive, std::uint64_t content_length, std::string& out) {
  if (status < 100 || status > 999) return false;
  for (const auto& [name, value] : headers.fields())
    if (is_framing_field(name)) return false;
  if (names_repeat(headers)) return false;

  // "HTTP/1.1 200 " as the serializer writes it, digits of any single-digit version.
  char status_text[] = "HTTP/x.y ### ";
  status_text[5] = static_cast<char>('0' + version / 10);
  status_text[7] = static_cast<char>('0' + version % 10);
  status_text[9] = static_cast<char>('0' + status / 100);
  status_text[10] = static_cast<char>('0' + status / 10 % 10);
  status_text[11] = static_cast<char>('0' + status % 10);
  const std::string_view status_line(status_text, sizeof status_text - 1);
  const std::string_view reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  // HTTP/1.1 is persistent unless told otherwise; HTTP/1.0 only when told so.
  std::string_view connection;
  if (version >= 11 && !keep_alive) connection = "close";
  if (version < 11 && keep_alive) connection = "keep-alive";
  char length_digits[24];
  const std::string_view length(
      length_digits,
      std::to_chars(length_digits, length_digits + sizeof length_digits, content_length).ptr -
          length_digits);

  std::size_t size = status_line.size() + reason.size() + 2;
  for (const auto& [name, value] : headers.fields()) size += field_size(name, trim_ows(value));
  if (!connection.empty()) size += field_size("Connection", connection);
  size += field_size("Content-Length", length) + 2;

  out.resize(size);
  Filler fill(out.data());
  fill.put(status_line).put(reason).put("\r\n");
  for (const auto& [name, value] : headers.fields()) fill.field(name, trim_ows(value));
  if (!connection.empty()) fill.field("Connection", connection);
  fill.field("Content-Length", length).put("\r\n");
  return true;
}

}  // namespace companion::net
