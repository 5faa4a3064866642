#pragma once
// The kinds of event the bus carries, named as the Voice Assistant document prints them.
#include <array>
#include <optional>
#include <string_view>

namespace companion::core {

enum class EventType {
  MessageReceived,
  MusicPlay,
  MusicPause,
  MusicStop,
  MusicNext,
  MusicPrevious,
  MemoryStored,
  StatusUpdate,
  Error,
  ClientConnected,
  ClientDisconnected,
};

inline constexpr std::array<EventType, 11> all_event_types = {
    EventType::MessageReceived, EventType::MusicPlay,          EventType::MusicPause,
    EventType::MusicStop,       EventType::MusicNext,          EventType::MusicPrevious,
    EventType::MemoryStored,    EventType::StatusUpdate,       EventType::Error,
    EventType::ClientConnected, EventType::ClientDisconnected,
};

// "MESSAGE_RECEIVED", "MUSIC_PLAY", ...
std::string_view event_type_name(EventType type);
// Accepts the upper-case names and the lower-case values of the document's enum
// ("music_play"); nullopt for anything else.
std::optional<EventType> parse_event_type(std::string_view name);

}  // namespace companion::core
