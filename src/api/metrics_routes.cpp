#include "api/metrics_routes.hpp"

#include <cmath>

#include <boost/json.hpp>

namespace companion::api {

namespace json = boost::json;
namespace metrics = http::metrics;

namespace {

constexpr std::string_view chattr_metrics_schema = R"({
  "type": "object",
  "properties": {
    "requests_total": {"type": "integer", "description": "requests answered since start"},
    "requests_per_minute": {"type": "number", "description": "requests in the last 60 seconds"},
    "average_response_time_ms": {"type": "number"},
    "error_rate_percent": {"type": "number", "description": "share of 5xx answers"},
    "active_sessions": {"type": "integer", "description": "open WebSockets and event streams"}
  },
  "required": ["requests_total", "requests_per_minute", "average_response_time_ms",
               "error_rate_percent", "active_sessions"]
})";

double round_to(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

void write_transport_gauges(metrics::PrometheusText& out, const metrics::TransportSnapshot& t) {
  auto gauge = [&out](std::string_view name, std::string_view help, std::int64_t value) {
    out.family(name, "gauge", help);
    out.sample(name, static_cast<double>(value));
  };
  auto counter = [&out](std::string_view name, std::string_view help, std::int64_t value) {
    out.family(name, "counter", help);
    out.sample(name, static_cast<double>(value));
  };
  gauge("companion_connections_active", "Open client connections.", t.active_connections);
  counter("companion_connections_total", "Client connections accepted.", t.total_connections);
  counter("companion_connections_refused_total", "Connections refused at the connection limit.",
          t.refused_connections);
  gauge("companion_websockets_active", "Open WebSocket connections.", t.active_websockets);
  counter("companion_websockets_total", "WebSocket connections opened.", t.total_websockets);
  gauge("companion_event_streams_active", "Open Server-Sent Events streams.",
        t.active_event_streams);
  gauge("companion_worker_queue_depth", "Tasks waiting for a worker thread.", t.worker_queue_depth);
  gauge("companion_worker_threads", "Threads of the worker pool.", t.worker_threads);
}

http::Route prometheus_route(MetricsSources sources) {
  http::Route r;
  r.method = http::Method::Get;
  r.pattern = "/metrics";
  r.access = http::Access::Public;
  r.rate_group = "";  // scrapers poll it; limiting them would hide the data
  r.runs_inline = true;
  r.doc = {"Prometheus metrics", "System",
           "Request counts and latency histograms by route pattern, connection, WebSocket, "
           "event-stream and worker-pool gauges, in the Prometheus text format 0.0.4."};
  r.doc.response_content_type = "text/plain";
  r.doc.response_schema = R"({"type": "string"})";
  r.handler = [sources](http::Request&) {
    metrics::PrometheusText out;
    sources.requests->write_prometheus(out);
    if (sources.transport) write_transport_gauges(out, sources.transport());
    return http::Response::text(200, std::move(out.text()), metrics::prometheus_content_type);
  };
  return r;
}

http::Route chattr_route(MetricsSources sources) {
  http::Route r;
  r.method = http::Method::Get;
  r.pattern = "/api/v1/metrics";
  r.access = http::Access::User;
  // Not inline: checking an API key may read the store.
  r.runs_inline = false;
  r.doc = {"Service metrics", "Monitoring",
           "Request totals, the request rate over the last minute, the mean response time, "
           "the share of server errors and the open realtime sessions."};
  r.doc.response_schema = std::string(chattr_metrics_schema);
  r.doc.error_statuses = {401, 429};
  r.handler = [sources](http::Request&) {
    auto s = sources.requests->summary();
    auto t = sources.transport ? sources.transport() : metrics::TransportSnapshot{};
    json::object body{
        {"requests_total", s.requests_total},
        {"requests_per_minute", static_cast<double>(s.requests_last_minute)},
        {"average_response_time_ms", round_to(s.average_response_time_ms, 3)},
        {"error_rate_percent", round_to(s.error_rate_percent, 3)},
        {"active_sessions", t.active_websockets + t.active_event_streams},
    };
    return http::Response::json(200, body);
  };
  return r;
}

}  // namespace

void register_metrics_routes(http::Router& router, MetricsSources sources) {
  router.add(prometheus_route(sources));
  router.add(chattr_route(sources));
}

}  // namespace companion::api
