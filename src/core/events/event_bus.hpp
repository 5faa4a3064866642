#pragma once
// The event bus port: publishers announce what happened (a chat turn, a song, a stored
// memory), subscribers (WebSocket and SSE clients) receive what their filter lets through.
// The in-process backend serves one instance; a Redis pub/sub backend implements the same
// port for several instances behind a load balancer.
#include <cstdint>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "core/events/event.hpp"
#include "core/events/event_filter.hpp"
#include "core/events/subscription.hpp"

namespace companion::core {

// Called on the publisher's thread, one event at a time per subscriber, with no lock of the
// bus held. It must not block: queue the event (a WebSocket or SSE send is a bounded queue).
using EventHandler = std::function<void(const Event&)>;

struct EventCounters {
  std::uint64_t total = 0;
  std::map<EventType, std::uint64_t> by_type;
};

class EventBus {
 public:
  virtual ~EventBus() = default;

  // Stamps the event (id, timestamp, sequence), records it in its session's history,
  // counts it and delivers it to every matching subscriber. Returns the stamped event.
  virtual Event publish(NewEvent event) = 0;
  virtual Subscription subscribe(EventFilter filter, EventHandler handler) = 0;

  // The session's retained events published after the event `last_event_id`, oldest first.
  // The id may be of any recent event (a global one too); when it is empty or no longer
  // known, every retained event of the session is returned.
  virtual std::vector<Event> events_since(std::string_view session_id,
                                          std::string_view last_event_id) const = 0;
  // Drops a session's history (the session was closed).
  virtual void forget_session(std::string_view session_id) = 0;

  virtual EventCounters counters() const = 0;
  virtual std::size_t subscriber_count() const = 0;
  // Whether the bus can deliver right now (a backend server that answers, a lock that is
  // not wedged); for health checks.
  virtual bool reachable() const = 0;
};

}  // namespace companion::core
