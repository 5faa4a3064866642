// Server-Sent Events over a chunked HTTP/1.1 response. Producers on any thread queue
// events; this connection's network thread writes them, sends comment heartbeats while
// idle, and notices a client that went away by keeping a read pending on the socket.
#include <deque>
#include <mutex>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "net/connection.hpp"

namespace companion::net {

namespace bhttp = beast::http;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

class EventStream final : public http::SseSink,
                          public LiveConnection,
                          public std::enable_shared_from_this<EventStream> {
 public:
  EventStream(asio::any_io_executor ex, std::size_t limit)
      : executor_(ex), wake_(ex), limit_(limit) {}

  bool send(http::SseEvent event) override {
    std::string text = http::format_sse(event);
    bool was_empty;
    {
      std::lock_guard lock(mutex_);
      if (gone_ || ended_) return false;
      if (queue_.size() >= limit_) {
        gone_ = true;  // a reader that cannot keep up is dropped, never buffered without end
        was_empty = true;
      } else {
        was_empty = queue_.empty();
        queue_.push_back(std::move(text));
      }
    }
    if (was_empty) poke();
    std::lock_guard lock(mutex_);
    return !gone_;
  }

  void close() override {
    {
      std::lock_guard lock(mutex_);
      if (ended_) return;
      ended_ = true;
    }
    poke();
  }

  bool is_open() const override {
    std::lock_guard lock(mutex_);
    return !gone_ && !ended_;
  }

  void on_close(std::function<void()> callback) override {
    bool run_now;
    {
      std::lock_guard lock(mutex_);
      run_now = finished_;
      if (!run_now) callbacks_.push_back(callback);
    }
    if (run_now) callback();
  }

  void begin_shutdown() override { close(); }

  // Network thread only.
  void mark_gone() {
    {
      std::lock_guard lock(mutex_);
      gone_ = true;
    }
    wake_.cancel();
  }

  asio::awaitable<bool> pump(beast::tcp_stream& stream, std::chrono::seconds heartbeat,
                             std::chrono::seconds write_timeout);

  void finish() {
    std::vector<std::function<void()>> callbacks;
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      gone_ = true;
      callbacks.swap(callbacks_);
    }
    for (auto& cb : callbacks) cb();
  }

 private:
  void poke() {
    asio::post(executor_, [self = shared_from_this()] { self->wake_.cancel(); });
  }

  asio::any_io_executor executor_;
  asio::steady_timer wake_;
  std::size_t limit_;
  mutable std::mutex mutex_;
  std::deque<std::string> queue_;
  bool gone_ = false;
  bool ended_ = false;
  bool finished_ = false;
  std::vector<std::function<void()>> callbacks_;
};

asio::awaitable<bool> EventStream::pump(beast::tcp_stream& stream, std::chrono::seconds heartbeat,
                                        std::chrono::seconds write_timeout) {
  for (;;) {
    std::string batch;
    bool ended, gone;
    {
      std::lock_guard lock(mutex_);
      for (auto& e : queue_) batch += e;
      queue_.clear();
      ended = ended_;
      gone = gone_;
    }
    if (gone) co_return false;
    if (!batch.empty()) {
      stream.expires_after(write_timeout);
      auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(batch)),
                                                use_tuple);
      if (ec) co_return false;
      continue;  // more may have arrived while writing
    }
    if (ended) {
      stream.expires_after(write_timeout);
      auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk_last(), use_tuple);
      co_return !ec;
    }
    wake_.expires_after(heartbeat);
    auto [ec] = co_await wake_.async_wait(use_tuple);
    if (!ec) {  // idle for a whole heartbeat interval
      static constexpr std::string_view ping = ": keep-alive\n\n";
      stream.expires_after(write_timeout);
      auto [wec, n] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(ping)),
                                                 use_tuple);
      if (wec) co_return false;
    }
  }
}

// A client has nothing to send during an event stream; a completed read means it left.
struct DisconnectWatch {
  explicit DisconnectWatch(asio::any_io_executor ex) : done(ex) {}
  bool running = true;
  asio::steady_timer done;
};

asio::awaitable<void> watch_for_disconnect(beast::tcp_stream& stream,
                                           std::shared_ptr<EventStream> events,
                                           std::shared_ptr<DisconnectWatch> watch) {
  std::array<char, 512> sink;
  for (;;) {
    auto [ec, n] = co_await stream.socket().async_read_some(asio::buffer(sink), use_tuple);
    if (ec) break;
  }
  events->mark_gone();
  watch->running = false;
  watch->done.cancel();
}

}  // namespace

asio::awaitable<bool> serve_event_stream(beast::tcp_stream& stream, http::Response& head,
                                         unsigned version, ConnectionEnv env,
                                         LiveConnection*& shutdown_target) {
  auto ex = co_await asio::this_coro::executor;
  auto events = std::make_shared<EventStream>(ex, env.options.stream_queue_limit);
  shutdown_target = events.get();

  bhttp::response<bhttp::empty_body> msg{static_cast<bhttp::status>(head.status), version};
  for (const auto& [k, v] : head.headers.fields()) msg.insert(k, v);
  msg.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr(msg);
  stream.expires_after(env.options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write_header(stream, sr, use_tuple);
  if (ec) {
    events->finish();
    co_return false;
  }

  ++env.stats.active_event_streams;
  auto watch = std::make_shared<DisconnectWatch>(ex);
  co_spawn(ex, watch_for_disconnect(stream, events, watch), asio::detached);
  // Producers may start sending from inside start(); the pump drains whatever is queued.
  head.sse(events);
  co_await events->pump(stream, env.options.sse_heartbeat, env.options.write_timeout);
  --env.stats.active_event_streams;
  events->finish();
  // The connection ends with the stream (the watcher may have read into what would be the
  // next request). Wait for the watcher: it holds a reference to the stream.
  boost::system::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream.socket().cancel(ignored);
  if (watch->running) {
    watch->done.expires_at(asio::steady_timer::time_point::max());
    co_await watch->done.async_wait(use_tuple);
  }
  co_return false;
}

}  // namespace companion::net
