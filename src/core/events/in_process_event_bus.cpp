#include "core/events/in_process_event_bus.hpp"

#include <mutex>
#include <unordered_map>

namespace companion::core {

namespace {

// One subscriber. Its own (recursive) mutex serialises deliveries to it and lets cancel()
// wait for a delivery in progress on another thread; a handler may cancel itself.
struct Subscriber {
  EventFilter filter;
  EventHandler handler;
  std::recursive_mutex delivering;
  bool active = true;

  void deliver(const Event& event) {
    std::lock_guard lock(delivering);
    if (!active) return;
    try {
      handler(event);
    } catch (...) {
      // A failing subscriber must not stop delivery to the others or fail the publisher.
    }
  }

  void deactivate() {
    std::lock_guard lock(delivering);
    active = false;
  }
};

}  // namespace

struct InProcessEventBus::Shared {
  explicit Shared(EventHistoryLimits limits) : history(limits) {}

  mutable std::mutex mutex;
  std::unordered_map<std::uint64_t, std::shared_ptr<Subscriber>> subscribers;
  std::uint64_t next_subscriber_id = 1;
  std::uint64_t next_sequence = 1;
  EventHistory history;
  EventCounters counters;
};

InProcessEventBus::InProcessEventBus(EventHistoryLimits limits)
    : shared_(std::make_shared<Shared>(limits)) {}

InProcessEventBus::~InProcessEventBus() = default;

Event InProcessEventBus::publish(NewEvent draft) {
  auto event = std::make_shared<Event>();
  event->id = make_event_id();
  event->type = draft.type;
  event->user_id = std::move(draft.user_id);
  // A session always belongs to a user: an event without a user is global.
  if (!event->user_id.empty()) event->session_id = std::move(draft.session_id);
  event->timestamp = std::chrono::system_clock::now();
  event->data = std::move(draft.data);

  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(shared_->mutex);
    event->sequence = shared_->next_sequence++;
    shared_->history.record(event);
    ++shared_->counters.total;
    ++shared_->counters.by_type[event->type];
    for (const auto& [id, subscriber] : shared_->subscribers) {
      if (subscriber->filter.matches(*event)) targets.push_back(subscriber);
    }
  }
  for (const auto& subscriber : targets) subscriber->deliver(*event);
  return *event;
}

Subscription InProcessEventBus::subscribe(EventFilter filter, EventHandler handler) {
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->filter = std::move(filter);
  subscriber->handler = std::move(handler);
  std::uint64_t id;
  {
    std::lock_guard lock(shared_->mutex);
    id = shared_->next_subscriber_id++;
    shared_->subscribers.emplace(id, subscriber);
  }
  std::weak_ptr<Shared> weak_shared = shared_;
  return Subscription([weak_shared, id, subscriber] {
    if (auto shared = weak_shared.lock()) {
      std::lock_guard lock(shared->mutex);
      shared->subscribers.erase(id);
    }
    subscriber->deactivate();
  });
}

std::vector<Event> InProcessEventBus::events_since(std::string_view session_id,
                                                   std::string_view last_event_id) const {
  std::lock_guard lock(shared_->mutex);
  return shared_->history.since(session_id, last_event_id);
}

void InProcessEventBus::forget_session(std::string_view session_id) {
  std::lock_guard lock(shared_->mutex);
  shared_->history.forget(session_id);
}

EventCounters InProcessEventBus::counters() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->counters;
}

std::size_t InProcessEventBus::subscriber_count() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->subscribers.size();
}

// Taking the lock proves that no publisher or subscriber has wedged the bus.
bool InProcessEventBus::reachable() const {
  std::lock_guard lock(shared_->mutex);
  return true;
}

}  // namespace companion::core
