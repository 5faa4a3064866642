#include "http/streams.hpp"

namespace companion::http {

std::string format_sse(const SseEvent& e) {
  std::string out;
  out.reserve(e.data.size() + e.event.size() + e.id.size() + 32);
  if (!e.id.empty()) out.append("id: ").append(e.id).append("\n");
  if (!e.event.empty()) out.append("event: ").append(e.event).append("\n");
  if (e.retry_ms > 0) out.append("retry: ").append(std::to_string(e.retry_ms)).append("\n");
  std::string_view data = e.data;
  do {
    auto nl = data.find('\n');
    out.append("data: ").append(data.substr(0, nl)).append("\n");
    if (nl == std::string_view::npos) break;
    data.remove_prefix(nl + 1);
  } while (true);
  out.append("\n");
  return out;
}

}  // namespace companion::http
