// One WebSocket connection. The handler's callbacks run on this connection's network
// thread; frames queued from any thread are written in order by a writer coroutine.
#include <deque>
#include <mutex>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "net/connection.hpp"

namespace companion::net {

namespace ws = beast::websocket;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct Frame {
  enum Kind { Text, Binary, Close } kind;
  std::string payload;
  std::uint16_t code = 0;
};

class WebSocketConnection final : public http::WebSocketPeer,
                                  public LiveConnection,
                                  public std::enable_shared_from_this<WebSocketConnection> {
 public:
  WebSocketConnection(beast::tcp_stream stream, ConnectionEnv env)
      : ws_(std::move(stream)), env_(env), wake_(ws_.get_executor()) {}

  bool send_text(std::string text) override { return enqueue({Frame::Text, std::move(text)}); }
  bool send_binary(std::string bytes) override {
    return enqueue({Frame::Binary, std::move(bytes)});
  }
  void close(std::uint16_t code, std::string reason) override {
    enqueue({Frame::Close, std::move(reason), code});
  }
  bool is_open() const override {
    std::lock_guard lock(mutex_);
    return !closing_ && !gone_;
  }
  void begin_shutdown() override { close(http::close_code::going_away, "server shutting down"); }

  asio::awaitable<void> run(UpgradeRequest upgrade, std::shared_ptr<http::WebSocketHandler> h,
                            std::size_t message_limit);

 private:
  bool enqueue(Frame frame) {
    bool was_empty;
    {
      std::lock_guard lock(mutex_);
      if (closing_ || gone_) return false;
      if (frame.kind == Frame::Close) {
        closing_ = true;
      } else if (queue_.size() >= env_.options.stream_queue_limit) {
        // The peer is not reading: end the connection instead of buffering without bound.
        closing_ = true;
        queue_.clear();
        frame = {Frame::Close, "outbound queue full", http::close_code::policy_violation};
      }
      was_empty = queue_.empty();
      queue_.push_back(std::move(frame));
    }
    if (was_empty) asio::post(ws_.get_executor(), [self = shared_from_this()] { self->wake_.cancel(); });
    return true;
  }

  asio::awaitable<void> write_loop();

  ws::stream<beast::tcp_stream> ws_;
  ConnectionEnv env_;
  asio::steady_timer wake_;
  mutable std::mutex mutex_;
  std::deque<Frame> queue_;
  bool closing_ = false;  // a close frame is queued or sent
  bool gone_ = false;     // the connection is finished
  bool writer_done_ = false;
  asio::steady_timer* writer_exit_ = nullptr;
};

asio::awaitable<void> WebSocketConnection::write_loop() {
  for (;;) {
    std::optional<Frame> frame;
    {
      std::lock_guard lock(mutex_);
      if (!queue_.empty()) {
        frame = std::move(queue_.front());
        queue_.pop_front();
      } else if (gone_) {
        break;
      }
    }
    if (!frame) {
      wake_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_.async_wait(use_tuple);
      continue;
    }
    boost::system::error_code ec;
    if (frame->kind == Frame::Close) {
      ws::close_reason reason(static_cast<ws::close_code>(frame->code), frame->payload);
      std::tie(ec) = co_await ws_.async_close(reason, use_tuple);
      break;  // the read loop sees the peer's answer and ends
    }
    ws_.text(frame->kind == Frame::Text);
    std::tie(ec, std::ignore) = co_await ws_.async_write(asio::buffer(frame->payload), use_tuple);
    if (ec) break;
  }
  {
    std::lock_guard lock(mutex_);
    gone_ = true;
    queue_.clear();
  }
  writer_done_ = true;
  if (writer_exit_) writer_exit_->cancel();
}

asio::awaitable<void> WebSocketConnection::run(UpgradeRequest upgrade,
                                               std::shared_ptr<http::WebSocketHandler> handler,
                                               std::size_t message_limit) {
  LiveGuard guard(env_.thread, this);
  beast::get_lowest_layer(ws_).expires_never();
  ws::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(30);
  timeouts.idle_timeout = env_.options.websocket_idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(message_limit);
  ws_.auto_fragment(false);
  auto [ec] = co_await ws_.async_accept(upgrade, use_tuple);
  if (ec) co_return;

  ++env_.stats.active_websockets;
  ++env_.stats.total_websockets;
  auto self = shared_from_this();
  asio::steady_timer writer_exit(ws_.get_executor());
  writer_exit_ = &writer_exit;
  co_spawn(ws_.get_executor(), [self]() { return self->write_loop(); }, asio::detached);
  if (env_.thread.shutting_down) begin_shutdown();

  handler->on_open(self);
  beast::flat_buffer buffer;
  std::uint16_t close_code = http::close_code::normal;
  for (;;) {
    auto [rec, n] = co_await ws_.async_read(buffer, use_tuple);
    if (rec) {
      if (rec == ws::error::closed) {
        close_code = ws_.reason().code;
      } else if (rec == ws::error::message_too_big) {
        close(http::close_code::too_big, "message too big");
        close_code = http::close_code::too_big;
      } else {
        close_code = 1006;  // abnormal: no close frame
      }
      break;
    }
    auto data = buffer.cdata();
    std::string_view view(static_cast<const char*>(data.data()), data.size());
    if (ws_.got_text()) {
      handler->on_text(view);
    } else {
      handler->on_binary(view);
    }
    buffer.consume(buffer.size());
  }
  {
    std::lock_guard lock(mutex_);
    gone_ = true;
    queue_.clear();
  }
  wake_.cancel();
  // The writer holds the stream; wait until it has left (cancel() above wakes it, and
  // writer_exit is cancelled when it does).
  while (!writer_done_) {
    writer_exit.expires_after(std::chrono::seconds(1));
    co_await writer_exit.async_wait(use_tuple);
  }
  writer_exit_ = nullptr;
  --env_.stats.active_websockets;
  handler->on_close(close_code);
  boost::system::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

}  // namespace

asio::awaitable<void> serve_websocket(beast::tcp_stream stream, UpgradeRequest upgrade,
                                      std::shared_ptr<http::WebSocketHandler> handler,
                                      std::size_t message_limit, ConnectionEnv env) {
  auto conn = std::make_shared<WebSocketConnection>(std::move(stream), env);
  co_await conn->run(std::move(upgrade), std::move(handler), message_limit);
}

}  // namespace companion::net
