#pragma once
// Turns what a handler throws into the union error body; nothing escapes to the transport.
#include <functional>
#include <string>

#include "http/middleware.hpp"

namespace companion::http {

class ErrorMapping final : public Middleware {
 public:
  using Reporter = std::function<void(const Request&, const std::string& what)>;
  explicit ErrorMapping(Reporter report_internal_error = {})
      : report_(std::move(report_internal_error)) {}
  Response handle(Request& req, const Next& next) override;

 private:
  Reporter report_;
};

}  // namespace companion::http
