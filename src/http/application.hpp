#pragma once
// The HTTP application: routes each request and runs it through the middleware chain.
// This is what the transport (net/) calls.
#include <memory>

#include "http/middleware.hpp"
#include "http/router.hpp"
#include "net/http_application.hpp"

namespace companion::http {

class Application final : public net::HttpApplication {
 public:
  Router& router() { return router_; }
  const Router& router() const { return router_; }
  MiddlewareChain& middleware() { return chain_; }

  net::RequestPlan plan(Request& head) override;
  Response handle(Request& request) override;
  void observe_rejected(const Request& request, int status) override;

  // Called for requests the transport refused before they reached the chain.
  void set_rejection_observer(std::function<void(const Request&, int)> observer) {
    rejection_observer_ = std::move(observer);
  }

 private:
  Router router_;
  MiddlewareChain chain_;
  std::function<void(const Request&, int)> rejection_observer_;
};

}  // namespace companion::http
