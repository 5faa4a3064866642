#pragma once
// What one client connection reads from the bus: first the events of its session that it
// missed (replayed from history), then live events, in that order and never one twice.
// It also keeps the cursor (the last event of the session this reader was present for), so
// a later reconnect can resume from there.
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "core/events/event_bus.hpp"

namespace companion::core {

class SessionFeed {
 public:
  // Called with replayed events (from inside the constructor) and then with live ones (on
  // publishers' threads), one at a time. It must not block, and it must not destroy the
  // feed.
  using Sink = std::function<void(const Event&)>;

  // replay_after: nullopt, no replay; "" or an unknown id, every retained event of the
  // filter's session; an id, the session's events published after it.
  SessionFeed(EventBus& bus, EventFilter filter, std::optional<std::string> replay_after,
              Sink sink);
  ~SessionFeed();
  SessionFeed(const SessionFeed&) = delete;
  SessionFeed& operator=(const SessionFeed&) = delete;

  // Id of the newest event of the session this feed has seen (sent to the sink or not
  // because of a type filter); empty when none.
  std::string cursor() const;
  std::size_t replayed() const;
  // Unsubscribes; the sink is not called after this returns.
  void close();

 private:
  void on_live(const Event& event);
  void advance_cursor(const Event& event);
  bool of_my_session(const Event& event) const;

  EventFilter filter_;
  Sink sink_;
  mutable std::mutex mutex_;
  std::uint64_t replay_high_ = 0;  // session events up to this sequence were replayed
  std::uint64_t cursor_sequence_ = 0;
  std::string cursor_id_;
  std::size_t replayed_ = 0;
  Subscription subscription_;
};

}  // namespace companion::core
