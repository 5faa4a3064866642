#pragma once
// What the transport asks of the layer above it: how to treat a request once its head has
// arrived, and the answer once its body has. It knows nothing of routes or payloads.
#include <cstddef>

#include "http/request.hpp"
#include "http/response.hpp"

namespace companion::net {

struct RequestPlan {
  std::size_t body_limit = 1u << 20;
  bool run_inline = false;  // answer on the network thread (cheap, non-blocking handlers)
  // The handler may take as long as a language model does (a whole chat turn): it runs on
  // the long-running pool, so that short requests never queue behind it.
  bool long_running = false;
  bool websocket = false;
  std::size_t websocket_message_limit = 1u << 20;
};

class HttpApplication {
 public:
  virtual ~HttpApplication() = default;
  // Called on the network thread with the request head (empty body).
  virtual RequestPlan plan(http::Request& head) = 0;
  // Called with the whole request, on the network thread when the plan says so, else on the
  // worker pool. Never throws: errors are answers.
  virtual http::Response handle(http::Request& request) = 0;
  // Called once for a request the transport itself refuses (413, 431, 400, 503) so that it
  // is counted and logged like any other.
  virtual void observe_rejected(const http::Request& request, int status) {}
};

}  // namespace companion::net
