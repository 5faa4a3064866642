#pragma once
// The listening server: one io_context per network thread, each with its own SO_REUSEPORT
// acceptor, so that connections are spread by the kernel and no lock sits on the hot path.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/executor.hpp"
#include "net/http_application.hpp"
#include "net/server_options.hpp"

namespace companion::net {

struct ServerStats {
  std::atomic<std::int64_t> active_connections{0};
  std::atomic<std::int64_t> total_connections{0};
  std::atomic<std::int64_t> refused_connections{0};
  std::atomic<std::int64_t> active_websockets{0};
  std::atomic<std::int64_t> total_websockets{0};
  std::atomic<std::int64_t> active_event_streams{0};
};

class Server {
 public:
  // Handlers run on `blocking_work`, or on `long_work` when their plan says they may take
  // as long as a model answering.
  Server(ServerOptions options, HttpApplication& app, core::TaskExecutor& blocking_work,
         core::TaskExecutor& long_work);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the network threads; throws std::runtime_error when the address is
  // taken or invalid. Returns the bound port (useful with port 0).
  std::uint16_t start();
  // Stops accepting, lets in-flight requests finish, closes WebSockets with 1001 and event
  // streams, then stops the threads; connections still open at the deadline are cut.
  void stop();
  // Blocks until stop() has completed.
  void wait();

  std::uint16_t port() const;
  const ServerStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace companion::net
