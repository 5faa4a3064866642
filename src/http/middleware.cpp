#include "http/middleware.hpp"

namespace companion::http {

Response MiddlewareChain::run(Request& req, const Next& terminal) const {
  return run_from(0, req, terminal);
}

Response MiddlewareChain::run_from(std::size_t index, Request& req, const Next& terminal) const {
  if (index == chain_.size()) return terminal(req);
  auto rest = [this, index, &terminal](Request& r) { return run_from(index + 1, r, terminal); };
  return chain_[index]->handle(req, rest);
}

}  // namespace companion::http
