#include "api/system_routes.hpp"

#include <boost/json.hpp>

#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

void register_system_routes(http::Router& router, SystemInfo info) {
  http::Route health;
  health.method = http::Method::Get;
  health.pattern = "/health";
  health.access = http::Access::Public;
  health.rate_group = "";
  health.runs_inline = true;
  health.doc = {"Health check", "System"};
  health.handler = [info](http::Request&) {
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::steady_clock::now() - info.started_at)
                      .count();
    json::object body{{"status", "healthy"},
                      {"timestamp", http::iso8601_now()},
                      {"version", info.version},
                      {"uptime_seconds", uptime}};
    return http::Response::json(200, body);
  };
  router.add(std::move(health));
}

}  // namespace companion::api
