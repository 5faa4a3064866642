#pragma once
// Voice Assistant sessions and event statistics:
// GET /api/sessions, DELETE /api/sessions/{session_id}, GET /api/system/events/stats.
#include <memory>

#include "core/events/event_bus.hpp"
#include "core/sessions/session_registry.hpp"
#include "http/router.hpp"

namespace companion::api {

struct SessionRoutesDeps {
  std::shared_ptr<core::EventBus> bus;
  std::shared_ptr<core::SessionRegistry> sessions;
};

void register_session_routes(http::Router& router, SessionRoutesDeps deps);

}  // namespace companion::api
