#include "core/events/event_type.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace companion::core {

std::string_view event_type_name(EventType type) {
  switch (type) {
    case EventType::MessageReceived:
      return "MESSAGE_RECEIVED";
    case EventType::MusicPlay:
      return "MUSIC_PLAY";
    case EventType::MusicPause:
      return "MUSIC_PAUSE";
    case EventType::MusicStop:
      return "MUSIC_STOP";
    case EventType::MusicNext:
      return "MUSIC_NEXT";
    case EventType::MusicPrevious:
      return "MUSIC_PREVIOUS";
    case EventType::MemoryStored:
      return "MEMORY_STORED";
    case EventType::StatusUpdate:
      return "STATUS_UPDATE";
    case EventType::Error:
      return "ERROR";
    case EventType::ClientConnected:
      return "CLIENT_CONNECTED";
    case EventType::ClientDisconnected:
      return "CLIENT_DISCONNECTED";
  }
  return "UNKNOWN";
}

std::optional<EventType> parse_event_type(std::string_view name) {
  if (name.empty() || name.size() > 64) return std::nullopt;
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (EventType type : all_event_types) {
    if (event_type_name(type) == upper) return type;
  }
  return std::nullopt;
}

}  // namespace companion::core
