#pragma once
// One HTTP request as the routing and API layers see it: no transport types.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/principal.hpp"
#include "http/headers.hpp"
#include "http/method.hpp"

namespace companion::http {

struct Route;

using Clock = std::chrono::steady_clock;

struct Request {
  Method method = Method::Get;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path
  std::string query_string;
  Headers headers;
  std::string body;
  std::string remote_ip;
  unsigned version = 11;

  // Filled while the request travels through the router and middleware.
  std::map<std::string, std::string, std::less<>> params;  // path template parameters
  const Route* route = nullptr;  // null when no route matched (404/405)
  std::vector<Method> allowed_methods;  // when the path exists with other methods (405)
  std::string request_id;
  std::optional<core::Principal> principal;
  Clock::time_point received_at = Clock::now();

  // Path parameter by name; empty when the route has none of that name.
  std::string_view param(std::string_view name) const;
  // Decoded query parameter (first occurrence).
  std::optional<std::string> query(std::string_view name) const;
  // Value of one cookie from the Cookie header.
  std::optional<std::string> cookie(std::string_view name) const;
};

}  // namespace companion::http
