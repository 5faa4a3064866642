#include "core/events/event_filter.hpp"

namespace companion::core {

bool EventFilter::matches(const Event& event) const {
  if (!types.empty() && !types.contains(event.type)) return false;
  if (event.is_global()) return include_global;
  if (user_id.empty() || event.user_id != user_id) return false;
  if (event.session_id.empty() || session_id.empty()) return true;
  return event.session_id == session_id;
}

}  // namespace companion::core
