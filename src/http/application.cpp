#include "http/application.hpp"

#include <string>

#include "http/error.hpp"

namespace companion::http {

namespace {

std::string allow_header(const std::vector<Method>& methods) {
  std::string out;
  for (Method m : methods) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

// The end of the chain: the route's handler, or 404/405 when there is none.
Response dispatch(Request& req) {
  if (req.route == nullptr) {
    if (!req.allowed_methods.empty()) {
      auto res = error_response(405, "Method Not Allowed");
      res.headers.set("Allow", allow_header(req.allowed_methods));
      return res;
    }
    return error_response(404, "Not Found");
  }
  return req.route->handler(req);
}

}  // namespace

net::RequestPlan Application::plan(Request& head) {
  auto match = router_.match(head.method, head.path);
  head.route = match.route;
  head.allowed_methods = std::move(match.allowed);
  for (auto& [name, value] : match.params) head.params.emplace(std::move(name), std::move(value));
  net::RequestPlan plan;
  if (match.route) {
    plan.body_limit = match.route->body_limit;
    plan.run_inline = match.route->runs_inline;
    plan.long_running = match.route->long_running;
    plan.websocket = match.route->websocket;
    plan.websocket_message_limit = match.route->websocket_message_limit;
  } else {
    // 404/405 answers need nothing from the worker pool.
    plan.run_inline = true;
    plan.body_limit = limits::json_body;
  }
  return plan;
}

Response Application::handle(Request& request) {
  auto terminal = [](Request& r) { return dispatch(r); };
  return chain_.run(request, terminal);
}

void Application::observe_rejected(const Request& request, int status) {
  if (rejection_observer_) rejection_observer_(request, status);
}

}  // namespace companion::http
