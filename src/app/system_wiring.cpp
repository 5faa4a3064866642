// Wires the system endpoints to what this server really has: health checks for the data
// folder and the worker pool, open realtime sessions from the transport's counters,
// features from the routes that are registered, and the API documentation assets.
#include <algorithm>
#include <filesystem>
#include <string_view>

#include <boost/json/value.hpp>

#include "api/docs_routes.hpp"
#include "api/system_routes.hpp"
#include "app/state.hpp"
#include "core/health/builtin_checks.hpp"

namespace companion::app {

namespace {

namespace json = boost::json;

// Below this much free space the data folder reports degraded: uploads and the store's
// write-ahead log would soon fail.
constexpr std::uint64_t kMinFreeBytes = 64ull << 20;

std::filesystem::path default_asset_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "assets";
  return exe.parent_path() / "assets";
}

bool has_route(const http::Router& router, http::Method method, std::string_view pattern) {
  const auto& routes = router.routes();
  return std::any_of(routes.begin(), routes.end(),
                     [&](const auto& r) { return r->method == method && r->pattern == pattern; });
}

bool has_route_under(const http::Router& router, std::string_view prefix) {
  const auto& routes = router.routes();
  return std::any_of(routes.begin(), routes.end(),
                     [&](const auto& r) { return r->pattern.rfind(prefix, 0) == 0; });
}

void register_health_checks(Companion::State& s) {
  auto& checks = s.health->registry();
  checks.add("storage", core::storage_check(s.config.data_dir, kMinFreeBytes));
  auto* workers = s.workers.get();
  checks.add("worker_pool",
             core::queue_check([workers] { return workers->queued(); }, s.config.worker_queue));
}

// A Voice Assistant feature is wired when the routes that serve it are registered.
void register_features(Companion::State& s) {
  const auto& router = s.http.router();
  auto& features = s.system.features;
  features.emplace_back("conversation",
                        [&router] { return has_route(router, http::Method::Post, "/api/chat"); });
  features.emplace_back("memory", [&router] { return has_route_under(router, "/api/memory/"); });
  features.emplace_back("rag", [&router] { return has_route_under(router, "/api/rag/"); });
  features.emplace_back("music_streaming", [&router] {
    return has_route(router, http::Method::Get, "/api/music/stream/{song_name}");
  });
  features.emplace_back("session_isolation", [&router] {
    return has_route(router, http::Method::Get, "/api/sessions");
  });
  features.emplace_back("websocket", [&router] {
    const auto& routes = router.routes();
    return std::any_of(routes.begin(), routes.end(), [](const auto& r) { return r->websocket; });
  });
  auto* health = s.health.get();
  features.emplace_back("event_bus", [health] {
    auto snapshot = health->snapshot();
    return snapshot && snapshot->state_of("event_bus") == core::HealthState::Healthy;
  });
}

// Counters the transport keeps; the server exists once routes are registered and started.
void register_transport_counters(Companion::State& s) {
  s.system.active_sessions = [&s]() -> std::int64_t {
    if (!s.server) return 0;
    const auto& stats = s.server->stats();
    return stats.active_websockets.load() + stats.active_event_streams.load();
  };
  s.system.stats.emplace_back("connections", [&s]() -> json::value {
    if (!s.server) return nullptr;
    const auto& stats = s.server->stats();
    return json::object{{"active", stats.active_connections.load()},
                        {"total", stats.total_connections.load()},
                        {"refused", stats.refused_connections.load()}};
  });
  s.system.stats.emplace_back("realtime", [&s]() -> json::value {
    if (!s.server) return nullptr;
    const auto& stats = s.server->stats();
    return json::object{{"active_websockets", stats.active_websockets.load()},
                        {"total_websockets", stats.total_websockets.load()},
                        {"active_event_streams", stats.active_event_streams.load()}};
  });
}

}  // namespace

void wire_system(Companion::State& s) {
  s.health = std::make_unique<core::HealthMonitor>(
      std::chrono::milliseconds(std::max<std::int64_t>(s.config.health_refresh_ms, 100)));
  register_health_checks(s);
  register_features(s);
  register_transport_counters(s);

  auto& router = s.http.router();
  api::SystemInfo info;
  info.version = s.config.version;
  info.started_at = [&s] { return s.started_at; };
  info.health = s.health.get();
  info.providers = &s.system;
  api::register_system_routes(router, std::move(info));

  api::DocsInfo docs;
  docs.version = s.config.version;
  docs.asset_dir =
      s.config.asset_dir.empty() ? default_asset_dir() : std::filesystem::path(s.config.asset_dir);
  api::register_docs_routes(router, std::move(docs));
}

}  // namespace companion::app
