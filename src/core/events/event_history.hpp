#pragma once
// The recent past of every session, so a client that reconnects (or an SSE client that
// sends Last-Event-ID) receives what it missed. Everything is bounded: events per session,
// sessions remembered (least recently active forgotten first) and event ids resolvable.
// Not thread-safe: the bus that owns it serialises access.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/events/event.hpp"

namespace companion::core {

struct EventHistoryLimits {
  std::size_t events_per_session = 256;
  std::size_t sessions = 4096;
  std::size_t known_ids = 16384;  // ids whose position can still be resolved
};

class EventHistory {
 public:
  explicit EventHistory(EventHistoryLimits limits = {});

  // Session events are retained; every event's id is remembered for since().
  void record(std::shared_ptr<const Event> event);
  // Retained events of the session after `last_event_id` (all retained ones when the id
  // is empty or unknown), oldest first.
  std::vector<Event> since(std::string_view session_id, std::string_view last_event_id) const;
  void forget(std::string_view session_id);

  std::size_t session_count() const { return sessions_.size(); }
  const EventHistoryLimits& limits() const { return limits_; }

 private:
  struct SessionLog {
    std::deque<std::shared_ptr<const Event>> events;
    std::list<std::string>::iterator recency;  // position in recency_
  };

  SessionLog& log_for(const std::string& session_id);
  void remember_id(const Event& event);

  EventHistoryLimits limits_;
  std::unordered_map<std::string, SessionLog> sessions_;
  std::list<std::string> recency_;  // session ids, most recently written first
  std::unordered_map<std::string, std::uint64_t> sequence_of_;
  std::deque<std::string> id_order_;  // oldest remembered id first
};

}  // namespace companion::core
