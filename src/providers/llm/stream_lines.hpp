#pragma once
// Cuts a byte stream into lines as it arrives. Network reads split wherever they like:
// inside a line, inside a multi-byte UTF-8 character, between the \r and \n of one line
// end. Bytes wait here until their line is complete, so whoever reads a line sees whole
// characters and whole JSON documents.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace companion::providers {

// A line without its terminator; returns false to stop reading.
using LineCallback = std::function<bool(std::string_view line)>;

class LineSplitter {
 public:
  // A line longer than this is a broken stream, not a reply: the stream is refused.
  explicit LineSplitter(std::size_t max_line_bytes = 8u << 20) : max_line_bytes_(max_line_bytes) {}

  // Hands every line that `bytes` completes to `on_line`. Lines end with \n, \r\n or a lone
  // \r (as Server-Sent Events allow). Returns false when `on_line` did; throws
  // std::length_error when a line outgrows the limit.
  bool feed(std::string_view bytes, const LineCallback& on_line);

  // The stream ended: a last line without a terminator is still a line.
  bool finish(const LineCallback& on_line);

 private:
  std::string partial_;
  std::size_t max_line_bytes_;
  // The previous chunk ended in \r: a \n that opens the next one belongs to that line end.
  bool skip_line_feed_ = false;
};

}  // namespace companion::providers
