#pragma once
// Internal to net/: what every live connection shares with the server.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/executor.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "net/http_application.hpp"
#include "net/server.hpp"
#include "net/server_options.hpp"

namespace companion::net {

namespace asio = boost::asio;

using SteadyClock = std::chrono::steady_clock;

// How often each network thread checks its connections' I/O deadlines: the precision of
// the transport timeouts, which are whole seconds.
inline constexpr std::chrono::milliseconds deadline_tick{250};

// A connection the server can ask to wind down (graceful shutdown). Called on the
// connection's own network thread.
class LiveConnection {
 public:
  virtual ~LiveConnection() = default;
  virtual void begin_shutdown() = 0;
  // Called every deadline_tick: a connection whose I/O has outlived its deadline aborts it.
  // One sweep per thread replaces a timer armed and cancelled around every read and write.
  virtual void enforce_deadline(SteadyClock::time_point now) {}
};

// Per network thread: its io_context and the connections it owns. Only that thread touches
// `live` and `now`, so they need no lock.
struct NetworkThread {
  // Declared before `io`: destroying io destroys suspended connections, which unregister.
  std::unordered_set<LiveConnection*> live;
  bool shutting_down = false;
  // A coarse clock for I/O deadlines, advanced by the deadline sweep, so that arming a
  // deadline costs a store rather than a clock read.
  SteadyClock::time_point now = SteadyClock::now();
  asio::io_context io{1};
};

struct ConnectionEnv {
  const ServerOptions& options;
  HttpApplication& app;
  core::TaskExecutor& blocking_work;
  core::TaskExecutor& long_work;  // handlers whose plan says long_running
  ServerStats& stats;
  NetworkThread& thread;
};

// Registers a connection for the lifetime of the guard.
class LiveGuard {
 public:
  LiveGuard(NetworkThread& t, LiveConnection* c) : thread_(t), conn_(c) { t.live.insert(c); }
  ~LiveGuard() { thread_.live.erase(conn_); }
  LiveGuard(const LiveGuard&) = delete;
  LiveGuard& operator=(const LiveGuard&) = delete;

 private:
  NetworkThread& thread_;
  LiveConnection* conn_;
};

// Serves HTTP/1.1 on an accepted socket until it closes; upgrades to WebSocket and event
// streams as the application answers.
asio::awaitable<void> serve_http(asio::ip::tcp::socket socket, ConnectionEnv env);

// Runs `work` on the worker pool and resumes on the calling network thread. Returns
// std::nullopt when the pool refused the task (queue full).
asio::awaitable<std::optional<http::Response>> offload(core::TaskExecutor& pool,
                                                       std::function<http::Response()> work);

}  // namespace companion::net

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace companion::net {

namespace beast = boost::beast;
using UpgradeRequest = beast::http::request<beast::http::string_body>;

// Accepts the WebSocket upgrade and runs the connection until it closes.
asio::awaitable<void> serve_websocket(beast::tcp_stream stream, UpgradeRequest upgrade,
                                      std::shared_ptr<http::WebSocketHandler> handler,
                                      std::size_t message_limit, ConnectionEnv env);

// Writes an event-stream answer until the producer closes it or the client goes away.
// Returns true when the connection may serve another request.
asio::awaitable<bool> serve_event_stream(beast::tcp_stream& stream, http::Response& head,
                                         unsigned version, ConnectionEnv env,
                                         LiveConnection*& shutdown_target);

}  // namespace companion::net
