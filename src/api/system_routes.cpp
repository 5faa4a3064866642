#include "api/system_routes.hpp"

#include <charconv>
#include <cmath>
#include <memory>

#include <boost/json.hpp>

#include "http/json_text.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

using SnapshotPtr = std::shared_ptr<const core::HealthSnapshot>;

double round2(double value) {
  return std::round(value * 100.0) / 100.0;
}

// Whole seconds, as every seed document prints it.
std::int64_t uptime_seconds(const SystemInfo& info) {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                          info.started_at())
      .count();
}

SnapshotPtr snapshot_of(const SystemInfo& info) {
  return info.health ? info.health->snapshot() : nullptr;
}

// "healthy" while every check passes, "degraded" as soon as one does not.
std::string overall_status(const SnapshotPtr& snapshot) {
  if (!snapshot) return "starting";
  return snapshot->all_healthy() ? "healthy" : "degraded";
}

json::object services_of(const SnapshotPtr& snapshot) {
  json::object services;
  if (!snapshot) return services;
  for (const auto& check : snapshot->checks)
    services[check.name] = core::to_string(check.result.state);
  return services;
}

json::object resource_usage_of(const SnapshotPtr& snapshot) {
  json::object usage;
  if (!snapshot) return usage;
  const auto& u = snapshot->usage;
  usage["cpu_percent"] = round2(u.cpu_percent);
  usage["cpu_percent_all_cores"] = round2(u.cpu_percent_all_cores);
  usage["cpu_cores"] = u.cpu_cores;
  usage["memory_percent"] = round2(u.memory_percent);
  usage["memory_rss_mb"] = round2(static_cast<double>(u.memory_rss_bytes) / (1 << 20));
  usage["open_files"] = u.open_fds;
  usage["threads"] = u.threads;
  usage["sampled_at"] = http::iso8601(snapshot->taken_at);
  usage["sample_interval_seconds"] = round2(u.sample_interval_seconds);
  return usage;
}

void append_integer(std::string& out, std::int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// The /health body around its three live values (timestamp, uptime, open sessions).
// Everything else follows from the health snapshot, which changes every few seconds while
// probes ask many times a second, so it is serialised once per snapshot and each answer is
// spliced from these parts.
struct HealthBodyParts {
  const SystemInfo* info = nullptr;
  SnapshotPtr snapshot;          // held, so that its address identifies it
  std::string before_timestamp;  // {"status":…,"timestamp":
  std::string before_uptime;     // ,"version":…,"uptime_seconds":
  std::string before_sessions;   // ,"service_ready":…,"event_bus":…,"active_sessions":
  std::string after_sessions;    // ,"services":{…}}
};

void build_health_parts(HealthBodyParts& parts, const SystemInfo& info,
                        const SnapshotPtr& snapshot) {
  bool service_ready = snapshot != nullptr && !snapshot->any_unhealthy();
  bool event_bus = snapshot && snapshot->state_of("event_bus") == core::HealthState::Healthy;
  parts.info = &info;
  parts.snapshot = snapshot;
  parts.before_timestamp =
      "{\"status\":" + http::to_json_text(json::value(overall_status(snapshot))) +
      ",\"timestamp\":";
  parts.before_uptime =
      ",\"version\":" + http::to_json_text(json::value(info.version)) + ",\"uptime_seconds\":";
  parts.before_sessions = std::string(",\"service_ready\":") + (service_ready ? "true" : "false") +
                          ",\"event_bus\":" + (event_bus ? "true" : "false") +
                          ",\"active_sessions\":";
  parts.after_sessions = ",\"services\":" + http::to_json_text(services_of(snapshot)) + "}";
}

// Network threads answer concurrently, so each keeps its own parts: no lock, no sharing.
const HealthBodyParts& health_parts(const SystemInfo& info, const SnapshotPtr& snapshot) {
  thread_local HealthBodyParts parts;
  if (!snapshot || parts.snapshot != snapshot || parts.info != &info)
    build_health_parts(parts, info, snapshot);
  return parts;
}

http::Response health(const SystemInfo& info) {
  auto snapshot = snapshot_of(info);
  const auto& parts = health_parts(info, snapshot);
  const auto* providers = info.providers;
  http::Response res;
  std::string& body = res.body;
  body.reserve(parts.before_timestamp.size() + parts.before_uptime.size() +
               parts.before_sessions.size() + parts.after_sessions.size() + 64);
  body += parts.before_timestamp;
  body += '"';
  http::append_iso8601(body, std::chrono::system_clock::now());
  body += '"';
  body += parts.before_uptime;
  append_integer(body, uptime_seconds(info));
  body += parts.before_sessions;
  append_integer(body, providers && providers->active_sessions ? providers->active_sessions() : 0);
  body += parts.after_sessions;
  res.headers.set("Content-Type", "application/json");
  return res;
}

http::Response v1_health(const SystemInfo& info) {
  auto snapshot = snapshot_of(info);
  json::object body{
      {"status", overall_status(snapshot)},
      {"timestamp", http::iso8601_now()},
      {"version", info.version},
      {"uptime_seconds", uptime_seconds(info)},
      {"services", services_of(snapshot)},
      // gpu_memory_percent is left out: this server runs no GPU work, so there is nothing
      // to measure, and an invented figure would mislead a dashboard.
      {"resource_usage", resource_usage_of(snapshot)},
  };
  return http::Response::json(200, body);
}

http::Response system_status(const SystemInfo& info) {
  json::object features, stats;
  if (info.providers) {
    for (const auto& [name, wired] : info.providers->features) features[name] = wired();
    for (const auto& [name, value] : info.providers->stats) stats[name] = value();
  }
  auto snapshot = snapshot_of(info);
  std::string status = snapshot && snapshot->any_unhealthy() ? "degraded" : "active";
  json::object body{{"status", status}, {"features", features}, {"stats", stats}};
  return http::Response::json(200, body);
}

constexpr const char* kHealthSchema = R"json({
  "type": "object",
  "required": ["status", "timestamp", "version", "uptime_seconds", "service_ready",
               "event_bus", "active_sessions", "services"],
  "properties": {
    "status": {"type": "string", "enum": ["healthy", "degraded", "starting"]},
    "timestamp": {"type": "string", "format": "date-time"},
    "version": {"type": "string"},
    "uptime_seconds": {"type": "integer"},
    "service_ready": {"type": "boolean", "description": "checks have run and none is unhealthy"},
    "event_bus": {"type": "boolean"},
    "active_sessions": {"type": "integer"},
    "services": {"type": "object", "additionalProperties": {"type": "string",
                 "enum": ["healthy", "degraded", "unhealthy"]}}
  }
})json";

constexpr const char* kV1HealthSchema = R"json({
  "type": "object",
  "required": ["status", "timestamp", "version", "uptime_seconds", "services", "resource_usage"],
  "properties": {
    "status": {"type": "string"},
    "timestamp": {"type": "string", "format": "date-time"},
    "version": {"type": "string"},
    "uptime_seconds": {"type": "integer"},
    "services": {"type": "object", "additionalProperties": {"type": "string"}},
    "resource_usage": {"type": "object", "properties": {
      "cpu_percent": {"type": "number", "description": "process CPU over the last sampling interval, percent of ONE core (up to 100 x cpu_cores)"
}
,
    "cpu_percent_all_cores"
    : {"type" : "number", "description" : "the same, percent of all cores (0-100)"},
      "cpu_cores" : {"type" : "integer"},
                    "memory_percent"
    : {"type" : "number", "description" : "resident memory / machine MemTotal"},
      "memory_rss_mb" : {"type" : "number"},
                        "open_files" : {"type" : "integer"},
                                       "threads" : {"type" : "integer"},
                                                   "sampled_at"
    : {"type" : "string", "format" : "date-time"},
      "sample_interval_seconds" : {
  "type" : "number"
}
}
}
}
})json";

constexpr const char* kStatusSchema = R"json({
  "type": "object",
  "required": ["status", "features", "stats"],
  "properties": {
    "status": {"type": "string", "enum": ["active", "degraded"]},
    "features": {"type": "object", "additionalProperties": {"type": "boolean"}},
    "stats": {"type": "object"}
  }
})json";

http::Route public_get(std::string pattern, std::string summary, const char* schema) {
  http::Route route;
  route.method = http::Method::Get;
  route.pattern = std::move(pattern);
  route.access = http::Access::Public;
  route.rate_group = "";  // health probes must never be rate limited
  route.doc.summary = std::move(summary);
  route.doc.tag = "System";
  route.doc.response_schema = schema;
  return route;
}

}  // namespace

void register_system_routes(http::Router& router, SystemInfo info) {
  auto shared = std::make_shared<const SystemInfo>(std::move(info));

  auto health_route = public_get("/health", "Health check", kHealthSchema);
  health_route.runs_inline = true;  // answers from the monitor's snapshot: never blocks
  health_route.doc.description =
      "Status of every registered check (refreshed in the background every few seconds), "
      "uptime and open realtime sessions.";
  health_route.handler = [shared](http::Request&) { return health(*shared); };
  router.add(std::move(health_route));

  auto v1 = public_get("/api/v1/health", "Health check with resource usage", kV1HealthSchema);
  v1.runs_inline = true;
  v1.doc.description =
      "cpu_percent is this process's CPU time over the last sampling interval as a percentage "
      "of one core. gpu_memory_percent is omitted: the server does no GPU work to measure.";
  v1.handler = [shared](http::Request&) { return v1_health(*shared); };
  router.add(std::move(v1));

  // Stats providers may query stores, so this one runs on the worker pool.
  auto status =
      public_get("/api/system/status", "System status, features and stats", kStatusSchema);
  status.access = http::Access::User;  // counters describe the deployment: not for anyone
  status.rate_group = "default";
  status.handler = [shared](http::Request&) { return system_status(*shared); };
  router.add(std::move(status));
}

}  // namespace companion::api
