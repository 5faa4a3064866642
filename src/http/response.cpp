#include "http/response.hpp"

#include <boost/json/value.hpp>

namespace companion::http {

Response Response::json(int status, const boost::json::value& value) {
  Response r;
  r.status = status;
  r.body = to_json_text(value);
  r.headers.set("Content-Type", "application/json");
  return r;
}

Response Response::text(int status, std::string body, std::string_view content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.set("Content-Type", content_type);
  return r;
}

Response Response::event_stream(SseStart start) {
  Response r;
  r.sse = std::move(start);
  r.headers.set("Content-Type", "text/event-stream");
  r.headers.set("Cache-Control", "no-cache");
  r.headers.set("X-Accel-Buffering", "no");
  return r;
}

Response Response::upgrade(std::shared_ptr<WebSocketHandler> handler) {
  Response r;
  r.status = 101;
  r.websocket = std::move(handler);
  return r;
}

}  // namespace companion::http
