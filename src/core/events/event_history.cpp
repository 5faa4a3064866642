#include "core/events/event_history.hpp"

#include <algorithm>

namespace companion::core {

EventHistory::EventHistory(EventHistoryLimits limits) : limits_(limits) {
  limits_.events_per_session = std::max<std::size_t>(1, limits_.events_per_session);
  limits_.sessions = std::max<std::size_t>(1, limits_.sessions);
  limits_.known_ids = std::max(limits_.known_ids, limits_.events_per_session);
}

void EventHistory::record(std::shared_ptr<const Event> event) {
  remember_id(*event);
  if (event->session_id.empty()) return;  // user-wide and global events are live only
  SessionLog& log = log_for(event->session_id);
  log.events.push_back(std::move(event));
  while (log.events.size() > limits_.events_per_session) log.events.pop_front();
}

EventHistory::SessionLog& EventHistory::log_for(const std::string& session_id) {
  auto it = sessions_.find(session_id);
  if (it != sessions_.end()) {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return it->second;
  }
  if (sessions_.size() >= limits_.sessions) {
    sessions_.erase(recency_.back());
    recency_.pop_back();
  }
  recency_.push_front(session_id);
  SessionLog& log = sessions_[session_id];
  log.recency = recency_.begin();
  return log;
}

void EventHistory::remember_id(const Event& event) {
  sequence_of_[event.id] = event.sequence;
  id_order_.push_back(event.id);
  while (id_order_.size() > limits_.known_ids) {
    sequence_of_.erase(id_order_.front());
    id_order_.pop_front();
  }
}

std::vector<Event> EventHistory::since(std::string_view session_id,
                                       std::string_view last_event_id) const {
  std::vector<Event> missed;
  auto it = sessions_.find(std::string(session_id));
  if (it == sessions_.end()) return missed;
  std::uint64_t after = 0;
  if (!last_event_id.empty()) {
    auto known = sequence_of_.find(std::string(last_event_id));
    if (known != sequence_of_.end()) after = known->second;
  }
  for (const auto& event : it->second.events) {
    if (event->sequence > after) missed.push_back(*event);
  }
  return missed;
}

void EventHistory::forget(std::string_view session_id) {
  auto it = sessions_.find(std::string(session_id));
  if (it == sessions_.end()) return;
  recency_.erase(it->second.recency);
  sessions_.erase(it);
}

}  // namespace companion::core
