#include "providers/llm/stream_lines.hpp"

#include <stdexcept>

namespace companion::providers {

bool LineSplitter::feed(std::string_view bytes, const LineCallback& on_line) {
  std::size_t start = 0;
  if (skip_line_feed_ && !bytes.empty()) {
    skip_line_feed_ = false;
    if (bytes.front() == '\n') start = 1;
  }
  while (start < bytes.size()) {
    auto end = bytes.find_first_of("\r\n", start);
    if (end == std::string_view::npos) {
      partial_.append(bytes.substr(start));
      if (partial_.size() > max_line_bytes_)
        throw std::length_error("a streamed line exceeds " + std::to_string(max_line_bytes_) +
                                " bytes");
      return true;
    }
    std::string_view piece = bytes.substr(start, end - start);
    start = end + 1;
    if (bytes[end] == '\r') {
      if (start < bytes.size()) {
        if (bytes[start] == '\n') ++start;
      } else {
        skip_line_feed_ = true;
      }
    }
    bool keep_going;
    if (partial_.empty()) {
      keep_going = on_line(piece);
    } else {
      partial_.append(piece);
      std::string line = std::move(partial_);
      partial_.clear();
      keep_going = on_line(line);
    }
    if (!keep_going) return false;
  }
  return true;
}

bool LineSplitter::finish(const LineCallback& on_line) {
  skip_line_feed_ = false;
  if (partial_.empty()) return true;
  std::string line = std::move(partial_);
  partial_.clear();
  return on_line(line);
}

}  // namespace companion::providers
