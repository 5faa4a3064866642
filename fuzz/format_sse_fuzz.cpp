// http::format_sse on arbitrary event names, ids and data. The property: a client that
// parses the output as the event-stream format specifies (lines end in CR LF, LF or CR)
// sees exactly one event carrying the same data, and no field the server did not write.
// Input layout: event, 0xFF, id, 0xFF, data.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http/streams.hpp"

using namespace companion::http;

namespace {

struct Parsed {
  int dispatched = 0;
  std::string event, data, id;
  bool unknown_field = false;
};

// Splits on CR LF, LF or CR, as an event-stream client does.
std::vector<std::string_view> client_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  return lines;
}

Parsed parse(std::string_view stream) {
  Parsed p;
  std::vector<std::string> data_lines;
  for (auto line : client_lines(stream)) {
    if (line.empty()) {
      ++p.dispatched;
      continue;
    }
    auto colon = line.find(':');
    std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "data")
      data_lines.emplace_back(value);
    else if (field == "event")
      p.event = value;
    else if (field == "id")
      p.id = value;
    else if (field != "retry" && !field.empty())
      p.unknown_field = true;
  }
  for (std::size_t i = 0; i < data_lines.size(); ++i) {
    if (i) p.data += '\n';
    p.data += data_lines[i];
  }
  return p;
}

// What the client should see of a data payload: line breaks of any kind become LF.
std::string normalise_breaks(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(bytes), size);
  SseEvent e;
  auto first = input.find('\xff');
  auto second = first == std::string_view::npos ? first : input.find('\xff', first + 1);
  if (second == std::string_view::npos) {
    e.data = std::string(input);
  } else {
    e.event = std::string(input.substr(0, first));
    e.id = std::string(input.substr(first + 1, second - first - 1));
    e.data = std::string(input.substr(second + 1));
  }
  std::string wire = format_sse(e);
  Parsed seen = parse(wire);
  if (seen.dispatched != 1 || seen.unknown_field) std::abort();
  if (seen.data != normalise_breaks(e.data)) std::abort();
  return 0;
}
