#include "media/documents/html_entities.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/knowledge/utf8_text.hpp"

namespace companion::media {

namespace {

constexpr std::size_t kMaxEntityName = 10;
constexpr std::size_t kMaxDigits = 8;

constexpr std::array<std::pair<std::string_view, char32_t>, 64> kNamedEntities = {{
    {"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},    {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122},  {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"sbquo", 0x201A}, {"bdquo", 0x201E}, {"laquo", 0xAB},    {"raquo", 0xBB},
    {"bull", 0x2022},  {"middot", 0xB7},  {"deg", 0xB0},     {"euro", 0x20AC},   {"pound", 0xA3},
    {"yen", 0xA5},     {"cent", 0xA2},    {"sect", 0xA7},    {"para", 0xB6},     {"times", 0xD7},
    {"divide", 0xF7},  {"plusmn", 0xB1},  {"frac12", 0xBD},  {"frac14", 0xBC},   {"frac34", 0xBE},
    {"micro", 0xB5},   {"auml", 0xE4},    {"ouml", 0xF6},    {"uuml", 0xFC},     {"Auml", 0xC4},
    {"Ouml", 0xD6},    {"Uuml", 0xDC},    {"szlig", 0xDF},   {"eacute", 0xE9},   {"egrave", 0xE8},
    {"ecirc", 0xEA},   {"aacute", 0xE1},  {"agrave", 0xE0},  {"acirc", 0xE2},    {"ccedil", 0xE7},
    {"ntilde", 0xF1},  {"oacute", 0xF3},  {"iacute", 0xED},  {"uacute", 0xFA},   {"Eacute", 0xC9},
    {"aring", 0xE5},   {"oslash", 0xF8},  {"aelig", 0xE6},   {"iexcl", 0xA1},    {"iquest", 0xBF},
    {"shy", 0xAD},     {"ensp", 0x2002},  {"emsp", 0x2003},  {"thinsp", 0x2009},
}};

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "&#233;" or "&#xE9;" starting at pos ('&').
std::size_t decode_numeric(std::string_view text, std::size_t pos, std::string& out) {
  std::size_t i = pos + 2;
  const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
  if (hex) ++i;
  const std::size_t digits_begin = i;
  char32_t value = 0;
  while (i < text.size() && i - digits_begin < kMaxDigits && digit_value(text[i], hex) >= 0) {
    value = value * (hex ? 16 : 10) + static_cast<char32_t>(digit_value(text[i], hex));
    ++i;
  }
  if (i == digits_begin) return 0;
  if (i < text.size() && text[i] == ';') ++i;
  core::append_utf8(out, value == 0 ? 0xFFFD : value);
  return i - pos;
}

std::size_t decode_named(std::string_view text, std::size_t pos, std::string& out) {
  std::size_t i = pos + 1;
  while (i < text.size() && i - pos - 1 < kMaxEntityName && is_alnum(text[i])) ++i;
  if (i >= text.size() || text[i] != ';') return 0;
  const std::string_view name = text.substr(pos + 1, i - pos - 1);
  const auto* found = std::find_if(kNamedEntities.begin(), kNamedEntities.end(),
                                   [&](const auto& entry) { return entry.first == name; });
  if (found == kNamedEntities.end()) return 0;
  core::append_utf8(out, found->second);
  return i + 1 - pos;
}

}  // namespace

std::size_t decode_html_entity(std::string_view text, std::size_t pos, std::string& out) {
  if (pos + 1 >= text.size() || text[pos] != '&') return 0;
  if (text[pos + 1] == '#') return decode_numeric(text, pos, out);
  return decode_named(text, pos, out);
}

std::string decode_html_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t consumed = text[pos] == '&' ? decode_html_entity(text, pos, out) : 0;
    if (consumed == 0) out.push_back(text[pos++]);
    pos += consumed;
  }
  return out;
}

}  // namespace companion::media
