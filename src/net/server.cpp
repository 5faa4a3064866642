#include "net/server.hpp"

#include <sys/socket.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "net/connection.hpp"

namespace companion::net {

using tcp = asio::ip::tcp;

struct Server::Impl {
  ServerOptions options;
  HttpApplication& app;
  core::TaskExecutor& blocking_work;
  core::TaskExecutor& long_work;
  ServerStats stats;
  std::vector<std::unique_ptr<NetworkThread>> threads;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::thread> runners;
  std::uint16_t bound_port = 0;
  std::mutex mutex;
  std::condition_variable stopped_cv;
  bool started = false;
  bool stopped = false;

  Impl(ServerOptions o, HttpApplication& a, core::TaskExecutor& w, core::TaskExecutor& l)
      : options(std::move(o)), app(a), blocking_work(w), long_work(l) {}

  tcp::endpoint endpoint(std::uint16_t port) const {
    return tcp::endpoint(asio::ip::make_address(options.host), port);
  }

  // SO_REUSEPORT would let a second server silently share a busy port; a plain bind first
  // tells us the port is really free.
  void ensure_port_free() {
    if (options.port == 0) return;
    asio::io_context probe_io;
    tcp::acceptor probe(probe_io);
    boost::system::error_code ec;
    probe.open(endpoint(options.port).protocol(), ec);
    if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) probe.bind(endpoint(options.port), ec);
    if (ec)
      throw std::runtime_error("cannot listen on " + options.host + ":" +
                               std::to_string(options.port) + ": " + ec.message());
  }

  std::unique_ptr<tcp::acceptor> open_acceptor(asio::io_context& io, std::uint16_t port) {
    auto acc = std::make_unique<tcp::acceptor>(io);
    auto ep = endpoint(port);
    acc->open(ep.protocol());
    acc->set_option(tcp::acceptor::reuse_address(true));
    int one = 1;
    ::setsockopt(acc->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    acc->bind(ep);
    acc->listen(asio::socket_base::max_listen_connections);
    return acc;
  }

  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, NetworkThread& thread) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        continue;  // EMFILE and friends: keep serving the connections we have
      }
      if (stats.active_connections.load() >= static_cast<std::int64_t>(options.max_connections)) {
        ++stats.refused_connections;
        co_spawn(thread.io, refuse(std::move(socket)), asio::detached);
        continue;
      }
      socket.set_option(tcp::no_delay(true));
      co_spawn(thread.io,
               serve_http(std::move(socket),
                          ConnectionEnv{options, app, blocking_work, long_work, stats, thread}),
               asio::detached);
    }
  }

  // Advances the thread's coarse clock and aborts the I/O of connections past their deadline.
  static asio::awaitable<void> sweep_deadlines(NetworkThread& thread) {
    asio::steady_timer tick(thread.io);
    for (;;) {
      tick.expires_after(deadline_tick);
      auto [ec] = co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      thread.now = SteadyClock::now();
      for (auto* connection : thread.live) connection->enforce_deadline(thread.now);
    }
  }

  static asio::awaitable<void> refuse(tcp::socket socket) {
    static constexpr std::string_view busy =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        "Connection: close\r\nContent-Length: 87\r\n\r\n"
        "{\"detail\":\"Too many "
        "connections\",\"code\":\"SERVICE_UNAVAILABLE\",\"status_code\":503}\n";
    co_await asio::async_write(socket, asio::buffer(busy), asio::as_tuple(asio::use_awaitable));
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  }
};

Server::Server(ServerOptions options, HttpApplication& app, core::TaskExecutor& blocking_work,
               core::TaskExecutor& long_work)
    : impl_(std::make_unique<Impl>(std::move(options), app, blocking_work, long_work)) {}

Server::~Server() {
  stop();
  wait();
}

std::uint16_t Server::start() {
  auto& d = *impl_;
  std::size_t n = d.options.io_threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  d.ensure_port_free();
  std::uint16_t port = d.options.port;
  for (std::size_t i = 0; i < n; ++i) {
    d.threads.push_back(std::make_unique<NetworkThread>());
    try {
      d.acceptors.push_back(d.open_acceptor(d.threads.back()->io, port));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on " + d.options.host + ":" + std::to_string(port) +
                               ": " + e.code().message());
    }
    if (port == 0) port = d.acceptors.back()->local_endpoint().port();
  }
  d.bound_port = port;
  for (std::size_t i = 0; i < n; ++i) {
    auto& thread = *d.threads[i];
    co_spawn(thread.io, d.accept_loop(*d.acceptors[i], thread), asio::detached);
    co_spawn(thread.io, Impl::sweep_deadlines(thread), asio::detached);
  }
  for (std::size_t i = 0; i < n; ++i) {
    d.runners.emplace_back([&thread = *d.threads[i]] {
      // The work guard keeps run() alive between connections until stop() releases it.
      auto guard = asio::make_work_guard(thread.io);
      thread.io.run();
    });
  }
  {
    std::lock_guard lock(d.mutex);
    d.started = true;
  }
  return port;
}

void Server::stop() {
  auto& d = *impl_;
  {
    std::lock_guard lock(d.mutex);
    if (!d.started || d.stopped) return;
    d.stopped = true;
  }
  // 1. Stop accepting, 2. ask every connection to wind down.
  for (std::size_t i = 0; i < d.threads.size(); ++i) {
    auto& thread = *d.threads[i];
    auto& acceptor = *d.acceptors[i];
    asio::post(thread.io, [&thread, &acceptor] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
      thread.shutting_down = true;
      auto live = thread.live;  // begin_shutdown may remove itself
      for (auto* c : live) c->begin_shutdown();
    });
  }
  // 3. Wait for the connections to finish, up to the deadline.
  auto deadline = std::chrono::steady_clock::now() + d.options.shutdown_deadline;
  while (d.stats.active_connections.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  for (auto& t : d.threads) t->io.stop();
  for (auto& r : d.runners)
    if (r.joinable()) r.join();
  {
    std::lock_guard lock(d.mutex);
    d.runners.clear();
    d.stopped_cv.notify_all();
  }
}

void Server::wait() {
  auto& d = *impl_;
  std::unique_lock lock(d.mutex);
  d.stopped_cv.wait(lock, [&] { return !d.started || (d.stopped && d.runners.empty()); });
}

std::uint16_t Server::port() const {
  return impl_->bound_port;
}
const ServerStats& Server::stats() const {
  return impl_->stats;
}

}  // namespace companion::net
