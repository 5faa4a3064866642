#pragma once
// The two long-lived exchanges a handler can start, as interfaces the transport implements:
// a Server-Sent Events stream and a WebSocket connection. Both are safe to use from any
// thread; sends are queued with a bound and never block the caller.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace companion::http {

struct SseEvent {
  std::string event;  // empty: the default "message" event
  std::string data;   // may hold newlines; each line becomes a data: line
  std::string id;     // empty: no id field
  int retry_ms = 0;   // 0: no retry field
};

// Serialises one event in the text/event-stream format.
std::string format_sse(const SseEvent& e);

class SseSink {
 public:
  virtual ~SseSink() = default;
  // Queues an event; false when the client is gone or the queue bound is reached
  // (the stream is then closed: a client that cannot keep up is dropped, not buffered).
  virtual bool send(SseEvent event) = 0;
  // Ends the stream once every queued event is written.
  virtual void close() = 0;
  virtual bool is_open() const = 0;
  // Runs once when the stream ends for any reason (client gone, close(), shutdown).
  virtual void on_close(std::function<void()> callback) = 0;
};

using SseStart = std::function<void(std::shared_ptr<SseSink>)>;

namespace close_code {
constexpr std::uint16_t normal = 1000;
constexpr std::uint16_t going_away = 1001;
constexpr std::uint16_t protocol_error = 1002;
constexpr std::uint16_t unsupported_data = 1003;
constexpr std::uint16_t policy_violation = 1008;
constexpr std::uint16_t too_big = 1009;
constexpr std::uint16_t internal_error = 1011;
constexpr std::uint16_t try_again_later = 1013;
}  // namespace close_code

class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  // Queue a frame; false when closed or when the outbound bound is reached (the
  // connection is then closed with 1008: the peer is not reading).
  virtual bool send_text(std::string text) = 0;
  virtual bool send_binary(std::string bytes) = 0;
  // Flushes queued frames, then sends a close frame with that code.
  virtual void close(std::uint16_t code, std::string reason = {}) = 0;
  virtual bool is_open() const = 0;
};

// Callbacks of one WebSocket connection, called on the connection's network thread, one at
// a time and in order. They must not block: hand slow work to the worker pool.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  virtual void on_open(std::shared_ptr<WebSocketPeer> peer) = 0;
  virtual void on_text(std::string_view text) = 0;
  virtual void on_binary(std::string_view bytes) {}
  virtual void on_close(std::uint16_t code) {}
};

}  // namespace companion::http
