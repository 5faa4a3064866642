#pragma once
// Reads a Server-Sent Events stream incrementally: `data:` lines gather into one event's
// data, a blank line dispatches it, comment lines (":") and other fields are skipped. Fed
// with bytes split anywhere, it dispatches exactly the events a whole stream holds.
#include <functional>
#include <string>
#include <string_view>

#include "providers/llm/stream_lines.hpp"

namespace companion::providers {

// An event's data (its data lines joined by \n); returns false to stop reading.
using SseDataCallback = std::function<bool(std::string_view data)>;

class SseDecoder {
 public:
  bool feed(std::string_view bytes, const SseDataCallback& on_data);
  // The stream ended: an event that lacks only its closing blank line is still dispatched,
  // since some servers close right after their last data line.
  bool finish(const SseDataCallback& on_data);

 private:
  bool take_line(std::string_view line, const SseDataCallback& on_data);
  bool dispatch(const SseDataCallback& on_data);

  LineSplitter lines_;
  std::string data_;
  bool has_data_ = false;
};

}  // namespace companion::providers
