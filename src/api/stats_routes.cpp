#include "api/stats_routes.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr double bytes_per_mb = 1024.0 * 1024.0;

double round_to(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// Sessions with an open socket or recent use, most recent first in the listing.
json::object session_view(const StatsSources& src) {
  auto now = std::chrono::system_clock::now();
  json::array info;
  std::int64_t active = 0;
  for (const auto& state : src.sessions->list(std::nullopt)) {
    bool recent = now - state.session.last_activity <= src.active_window;
    if (state.open_sockets == 0 && !recent) continue;
    ++active;
    info.push_back(json::object{{"user_id", state.session.user_id},
                                {"session_id", state.session.id},
                                {"created_at", http::iso8601(state.session.created_at)},
                                {"last_accessed", http::iso8601(state.session.last_activity)}});
  }
  return json::object{{"active_sessions", active}, {"session_info", std::move(info)}};
}

http::Response stats(const StatsSources& src) {
  json::object body = session_view(src);
  auto totals = src.store->totals();
  body["total_users"] = totals.users;
  body["total_conversations"] = totals.conversations;
  body["total_messages"] = totals.messages;
  body["database_size_mb"] = round_to(static_cast<double>(totals.database_bytes) / bytes_per_mb, 3);
  if (auto snapshot = src.health ? src.health->snapshot() : nullptr) {
    body["memory_usage_mb"] =
        round_to(static_cast<double>(snapshot->usage.memory_rss_bytes) / bytes_per_mb, 1);
    body["cpu_usage_percent"] = round_to(snapshot->usage.cpu_percent, 1);
  }
  body["requests_per_minute"] = src.metrics->summary().requests_last_minute;
  return http::Response::json(200, body);
}

}  // namespace

void register_stats_routes(http::Router& router, StatsSources sources) {
  http::Route r;
  r.method = http::Method::Get;
  r.pattern = "/stats";
  r.access = http::Access::Admin;
  r.doc.summary = "System statistics (admin)";
  r.doc.tag = "System";
  r.doc.description =
      "Counted from the store and the session registry; memory is the server's resident set "
      "and CPU its use of one core over the last sampling interval. Requests per minute "
      "counts the last 60 seconds.";
  r.doc.response_schema = R"({"type":"object","properties":{
    "active_sessions":{"type":"integer"},
    "session_info":{"type":"array","items":{"type":"object","properties":{
      "user_id":{"type":"string"},"session_id":{"type":"string"},
      "created_at":{"type":"string","format":"date-time"},
      "last_accessed":{"type":"string","format":"date-time"}}}},
    "total_users":{"type":"integer"},"total_conversations":{"type":"integer"},
    "total_messages":{"type":"integer"},"database_size_mb":{"type":"number"},
    "memory_usage_mb":{"type":"number"},"cpu_usage_percent":{"type":"number"},
    "requests_per_minute":{"type":"integer"}}})";
  r.doc.error_statuses = {401, 403};
  r.handler = [src = std::move(sources)](http::Request&) { return stats(src); };
  router.add(std::move(r));
}

}  // namespace companion::api
