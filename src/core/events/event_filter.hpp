#pragma once
// Which events a subscriber receives. Scoping is strict: a subscriber never sees another
// user's events; a session subscriber sees its own session's events, its user's
// user-wide events and (when it wants them) global ones.
#include <set>
#include <string>

#include "core/events/event.hpp"

namespace companion::core {

struct EventFilter {
  std::string user_id;        // empty: global events only
  std::string session_id;     // empty: every event of the user, whatever the session
  std::set<EventType> types;  // empty: every type
  bool include_global = true;

  bool matches(const Event& event) const;
};

}  // namespace companion::core
