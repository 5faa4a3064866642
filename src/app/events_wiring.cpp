// Wires the event bus and the Voice Assistant sessions: the in-process bus and session
// registry, their routes (/ws, /api/sessions, /api/system/events/stats,
// /api/events/stream) and the event bus health check.
#include "api/event_stream_routes.hpp"
#include "api/session_routes.hpp"
#include "api/voice_ws.hpp"
#include "app/state.hpp"
#include "core/events/in_process_event_bus.hpp"
#include "store/sqlite/session_repository.hpp"

namespace companion::app {

namespace {

// What the /ws welcome announces: a feature is there when its message handler is
// registered (chat, music) or its routes are (memory, RAG).
api::VoiceFeatures voice_features(const Companion::State& s) {
  api::VoiceFeatures features;
  features.events = s.events != nullptr;
  features.chat = s.voice_messages.contains("chat");
  features.music = s.voice_messages.contains("music_control");
  for (const auto& route : s.http.router().routes()) {
    if (route->pattern.rfind("/api/memory/", 0) == 0) features.memory = true;
    if (route->pattern.rfind("/api/rag/", 0) == 0) features.rag = true;
  }
  return features;
}

void register_event_bus_check(Companion::State& s) {
  if (!s.health) return;
  auto bus = s.events;
  s.health->registry().add("event_bus", [bus]() -> core::CheckResult {
    if (bus->reachable()) return {};
    return {core::HealthState::Unhealthy, "event bus not reachable"};
  });
}

}  // namespace

void wire_events(Companion::State& s) {
  core::EventHistoryLimits limits;
  limits.events_per_session = s.config.event_history_per_session;
  s.events = std::make_shared<core::InProcessEventBus>(limits);
  // Voice Assistant sessions are rows of the conversation store: one session id names the
  // same conversation in every dialect.
  s.sessions = std::make_shared<core::SessionRegistry>(
      std::make_shared<store::sqlite::SqliteSessionRepository>(s.database));
  register_event_bus_check(s);

  auto& router = s.http.router();
  api::VoiceWsDeps ws;
  ws.accounts = s.accounts;
  ws.bus = s.events;
  ws.sessions = s.sessions;
  ws.handlers = &s.voice_messages;
  ws.features = [&s] { return voice_features(s); };
  api::register_voice_ws_route(router, std::move(ws));
  api::register_session_routes(router, {s.events, s.sessions});
  api::register_event_stream_route(router, s.events, s.sessions);
}

}  // namespace companion::app
