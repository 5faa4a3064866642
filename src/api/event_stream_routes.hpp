#pragma once
// GET /api/events/stream: the caller's events as Server-Sent Events.
#include <memory>

#include "core/events/event_bus.hpp"
#include "core/sessions/session_registry.hpp"
#include "http/router.hpp"

namespace companion::api {

void register_event_stream_route(http::Router& router, std::shared_ptr<core::EventBus> bus,
                                 std::shared_ptr<core::SessionRegistry> sessions);

}  // namespace companion::api
