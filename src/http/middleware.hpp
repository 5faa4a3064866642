#pragma once
// Middleware: small ordered units around the handler, in the manner of a filter chain.
// Each sees the request (already routed: req.route may be null for 404/405) and decides to
// answer itself or to call next.
#include <functional>
#include <memory>
#include <vector>

#include "http/function_ref.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace companion::http {

// Valid only during the call it is passed to: middleware call it, never store it.
using Next = FunctionRef<Response(Request&)>;

class Middleware {
 public:
  virtual ~Middleware() = default;
  virtual Response handle(Request& req, const Next& next) = 0;
};

// Runs the middleware in order, then the terminal handler.
class MiddlewareChain {
 public:
  void add(std::shared_ptr<Middleware> m) { chain_.push_back(std::move(m)); }
  Response run(Request& req, const Next& terminal) const;

 private:
  Response run_from(std::size_t index, Request& req, const Next& terminal) const;
  std::vector<std::shared_ptr<Middleware>> chain_;
};

}  // namespace companion::http
