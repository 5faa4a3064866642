#pragma once
// One HTTP response as handlers build it. Besides a plain body it can carry a file
// (range) to stream, a Server-Sent Events stream, or a WebSocket handler to upgrade to.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "http/headers.hpp"
#include "http/json_text.hpp"
#include "http/streams.hpp"

namespace companion::http {

struct FileSlice {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::optional<FileSlice> file;                // streamed instead of body
  SseStart sse;                                 // set: answer is an event stream
  std::shared_ptr<WebSocketHandler> websocket;  // set: upgrade to WebSocket

  static Response json(int status, const boost::json::value& value);
  static Response text(int status, std::string body, std::string_view content_type);
  static Response event_stream(SseStart start);
  static Response upgrade(std::shared_ptr<WebSocketHandler> handler);
};

}  // namespace companion::http
