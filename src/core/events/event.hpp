#pragma once
// One event as the bus carries it. The payload is a generic JSON tree so that every
// publisher (chat, music, memory) can attach what its event documents; the API layer
// decides how it goes on the wire.
#include <chrono>
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include "core/events/event_type.hpp"

namespace companion::core {

struct Event {
  std::string id;  // "evt_" + 16 random hex digits
  EventType type = EventType::StatusUpdate;
  std::string user_id;     // empty: a global event for every subscriber
  std::string session_id;  // empty: for the whole user (or global)
  std::chrono::system_clock::time_point timestamp;
  boost::json::object data;
  // Assigned by the bus in publication order; lets a reader that replays history and then
  // goes live recognise an event it has already seen.
  std::uint64_t sequence = 0;

  bool is_global() const { return user_id.empty(); }
};

// What a publisher provides; the bus adds id, timestamp and sequence.
struct NewEvent {
  EventType type = EventType::StatusUpdate;
  std::string user_id;
  std::string session_id;
  boost::json::object data;
};

// A fresh "evt_" id from a per-thread random generator.
std::string make_event_id();

}  // namespace companion::core
