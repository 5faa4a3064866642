#include "providers/llm/sse_decoder.hpp"

namespace companion::providers {

bool SseDecoder::feed(std::string_view bytes, const SseDataCallback& on_data) {
  return lines_.feed(bytes, [&](std::string_view line) { return take_line(line, on_data); });
}

bool SseDecoder::finish(const SseDataCallback& on_data) {
  bool keep_going = lines_.finish([&](std::string_view line) { return take_line(line, on_data); });
  return keep_going && dispatch(on_data);
}

bool SseDecoder::take_line(std::string_view line, const SseDataCallback& on_data) {
  if (line.empty()) return dispatch(on_data);
  if (line.front() == ':') return true;  // a comment, often a keep-alive
  auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field != "data") return true;  // event, id and retry mean nothing to a completion
  if (has_data_) data_ += '\n';
  data_.append(value);
  has_data_ = true;
  return true;
}

bool SseDecoder::dispatch(const SseDataCallback& on_data) {
  if (!has_data_) return true;
  std::string data = std::move(data_);
  data_.clear();
  has_data_ = false;
  return on_data(data);
}

}  // namespace companion::providers
