#include "http/streams.hpp"

namespace companion::http {

namespace {

// A client ends a line at CR LF, LF or CR alone; a CR or LF inside a single-line field
// would end the field early and let the rest pass as another field (or end the event).
std::string single_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\r' || c == '\n') c = ' ';
  return out;
}

// Writes one "data:" line per line of `data`, splitting wherever a client would.
void append_data_lines(std::string& out, std::string_view data) {
  for (;;) {
    auto br = data.find_first_of("\r\n");
    out.append("data: ").append(data.substr(0, br)).append("\n");
    if (br == std::string_view::npos) break;
    std::size_t skip = (data[br] == '\r' && br + 1 < data.size() && data[br + 1] == '\n') ? 2 : 1;
    data.remove_prefix(br + skip);
  }
}

}  // namespace

std::string format_sse(const SseEvent& e) {
  std::string out;
  out.reserve(e.data.size() + e.event.size() + e.id.size() + 32);
  if (!e.id.empty()) out.append("id: ").append(single_line(e.id)).append("\n");
  if (!e.event.empty()) out.append("event: ").append(single_line(e.event)).append("\n");
  if (e.retry_ms > 0) out.append("retry: ").append(std::to_string(e.retry_ms)).append("\n");
  append_data_lines(out, e.data);
  out.append("\n");
  return out;
}

}  // namespace companion::http
