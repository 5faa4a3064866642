#include "core/events/session_feed.hpp"

namespace companion::core {

SessionFeed::SessionFeed(EventBus& bus, EventFilter filter, std::optional<std::string> replay_after,
                         Sink sink)
    : filter_(std::move(filter)), sink_(std::move(sink)) {
  // Subscribe first, then read history, both while holding the feed's lock: a live event
  // that arrives meanwhile waits, and is dropped if the history read already included it.
  std::lock_guard lock(mutex_);
  subscription_ = bus.subscribe(filter_, [this](const Event& e) { on_live(e); });
  if (filter_.session_id.empty()) return;
  std::vector<Event> past = bus.events_since(filter_.session_id, replay_after.value_or(""));
  if (!past.empty()) replay_high_ = past.back().sequence;
  for (const Event& event : past) {
    advance_cursor(event);
    if (!replay_after || !filter_.matches(event)) continue;
    sink_(event);
    ++replayed_;
  }
}

SessionFeed::~SessionFeed() {
  close();
}

void SessionFeed::close() {
  subscription_.cancel();
}

bool SessionFeed::of_my_session(const Event& event) const {
  return !filter_.session_id.empty() && event.session_id == filter_.session_id;
}

void SessionFeed::advance_cursor(const Event& event) {
  if (!of_my_session(event) || event.sequence <= cursor_sequence_) return;
  cursor_sequence_ = event.sequence;
  cursor_id_ = event.id;
}

void SessionFeed::on_live(const Event& event) {
  std::lock_guard lock(mutex_);
  if (of_my_session(event) && event.sequence <= replay_high_) return;
  advance_cursor(event);
  sink_(event);
}

std::string SessionFeed::cursor() const {
  std::lock_guard lock(mutex_);
  return cursor_id_;
}

std::size_t SessionFeed::replayed() const {
  std::lock_guard lock(mutex_);
  return replayed_;
}

}  // namespace companion::core
