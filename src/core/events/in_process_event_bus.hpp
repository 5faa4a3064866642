#pragma once
// The event bus of a single instance: subscribers live in this process, delivery happens
// on the publisher's thread after the bus's own lock is released, so one subscriber's
// handler never holds up another publisher's bookkeeping.
#include <memory>

#include "core/events/event_bus.hpp"
#include "core/events/event_history.hpp"

namespace companion::core {

class InProcessEventBus final : public EventBus {
 public:
  explicit InProcessEventBus(EventHistoryLimits limits = {});
  ~InProcessEventBus() override;

  Event publish(NewEvent event) override;
  Subscription subscribe(EventFilter filter, EventHandler handler) override;
  std::vector<Event> events_since(std::string_view session_id,
                                  std::string_view last_event_id) const override;
  void forget_session(std::string_view session_id) override;
  EventCounters counters() const override;
  std::size_t subscriber_count() const override;
  bool reachable() const override;

 private:
  struct Shared;  // outlives the bus while subscriptions still point at it
  std::shared_ptr<Shared> shared_;
};

}  // namespace companion::core
