#pragma once
// X-Request-ID: kept when the client sends a sane one, generated otherwise, echoed back.
#include "http/middleware.hpp"

namespace companion::http {

class RequestId final : public Middleware {
 public:
  Response handle(Request& req, const Next& next) override;
  static bool acceptable(std::string_view id);
};

}  // namespace companion::http
