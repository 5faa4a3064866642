#pragma once
// A turn's events as they stream, kept so that a client that loses its connection can come
// back and receive what it missed — of the reply still being written, or of one that just
// finished — and then the rest live. Every event has an id "<turn_id>:<sequence>" that SSE
// clients send back as Last-Event-ID. The stream is the turn's observer; dialect sockets
// subscribe to it.
//
// A turn whose clients have all gone is given a grace period to be resumed; after it the
// turn is cancelled (the provider request closed) and stored as interrupted.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/cancellation_token.hpp"
#include "core/conversation/turn.hpp"

namespace companion::core {

struct StreamEvent {
  enum class Kind { Start, Text, Tool, End };
  Kind kind = Kind::Text;
  std::uint64_t sequence = 0;              // 1, 2, 3, … within the turn
  std::string id;                          // "<turn_id>:<sequence>"
  std::string text;                        // Text
  ToolActivity tool;                       // Tool
  std::shared_ptr<const TurnStart> start;  // Start
  std::shared_ptr<const TurnResult> end;   // End
};

// Called with each event in order; must not block (hand the frame to a socket queue).
using StreamHandler = std::function<void(const StreamEvent& event)>;

class TurnStream final : public TurnObserver, public std::enable_shared_from_this<TurnStream> {
 public:
  TurnStream(std::string turn_id, std::string conversation_id, std::int64_t user_id,
             CancellationToken cancellation);

  const std::string& turn_id() const { return turn_id_; }
  // Whose turn it is: only that user may follow or resume it.
  std::int64_t user_id() const { return user_id_; }
  const std::string& conversation_id() const { return conversation_id_; }
  CancellationToken cancellation() const { return cancellation_; }

  // Delivers the events after `after_sequence` at once, then every later one as it
  // happens, until the returned handle is dropped.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&&) noexcept = default;
    Subscription& operator=(Subscription&&) noexcept;
    ~Subscription();
    explicit operator bool() const { return static_cast<bool>(stream_); }

   private:
    friend class TurnStream;
    Subscription(std::shared_ptr<TurnStream> stream, std::uint64_t id)
        : stream_(std::move(stream)), id_(id) {}
    std::shared_ptr<TurnStream> stream_;
    std::uint64_t id_ = 0;
  };
  [[nodiscard]] Subscription subscribe(std::uint64_t after_sequence, StreamHandler handler);

  bool finished() const;
  std::size_t subscribers() const;
  // When the last subscriber left (nullopt while someone listens or before anyone did).
  std::optional<std::chrono::steady_clock::time_point> abandoned_since() const;
  std::optional<std::chrono::steady_clock::time_point> finished_at() const;
  std::uint64_t last_sequence() const;

  // TurnObserver
  void on_start(const TurnStart& start) override;
  void on_text(std::string_view delta) override;
  void on_tool(const ToolActivity& activity) override;
  void on_end(const TurnResult& result) override;

 private:
  void append(StreamEvent event);
  void unsubscribe(std::uint64_t id);
  void end_delivery();  // mutex_ held

  std::string turn_id_;
  std::string conversation_id_;
  std::int64_t user_id_;
  CancellationToken cancellation_;
  // Held while handlers run, so each sees events in order. Recursive: a handler may end its
  // own subscription (a socket that closes as it is written to).
  mutable std::recursive_mutex mutex_;
  std::vector<StreamEvent> events_;
  std::map<std::uint64_t, StreamHandler> handlers_;
  bool delivering_ = false;
  std::vector<std::uint64_t> leaving_;  // unsubscribed while delivering
  std::uint64_t next_handler_ = 1;
  // A turn nobody follows yet counts as abandoned from its start: a client that went away
  // before it could subscribe (its response head never got out) does not leave the turn
  // running to the end for no one. The first subscriber clears it.
  std::optional<std::chrono::steady_clock::time_point> abandoned_since_ =
      std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> finished_at_;
};

// Parses "<turn_id>:<sequence>"; nullopt for anything else.
std::optional<std::pair<std::string, std::uint64_t>> parse_stream_event_id(std::string_view id);

struct TurnStreamSettings {
  std::chrono::milliseconds abandon_grace{10'000};   // no client: cancelled after this
  std::chrono::milliseconds keep_finished{120'000};  // a finished turn stays resumable
  std::size_t max_streams = 10'000;
};

// The streams of in-flight and recently finished turns, by turn and by conversation.
class TurnStreams {
 public:
  explicit TurnStreams(TurnStreamSettings settings = {});

  std::shared_ptr<TurnStream> begin(const std::string& conversation_id, std::int64_t user_id,
                                    CancellationToken cancellation);
  std::shared_ptr<TurnStream> by_turn(std::string_view turn_id) const;
  // The conversation's latest turn, running or recently finished.
  std::shared_ptr<TurnStream> latest(std::string_view conversation_id) const;
  // The conversation's running turn, if any.
  std::shared_ptr<TurnStream> running(std::string_view conversation_id) const;

  // Cancels abandoned turns past the grace period and forgets old finished ones. Returns
  // how many turns it cancelled. Called periodically.
  std::size_t sweep(std::chrono::steady_clock::time_point now);
  // Cancels every running turn (shutdown); returns how many.
  std::size_t cancel_running();
  std::size_t size() const;

 private:
  void forget_finished();  // mutex_ held

  TurnStreamSettings settings_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<TurnStream>, std::less<>> by_turn_;
  std::map<std::string, std::string, std::less<>> latest_by_conversation_;
};

}  // namespace companion::core
