#pragma once
// Where turns run. A turn holds its thread while the model streams (seconds, for a network
// model), so turns get a pool of their own instead of the request workers; each runs with
// a TurnStream as its observer, so any client can follow it, leave, and come back.
#include <functional>
#include <memory>
#include <optional>

#include "core/conversation/conversation_service.hpp"
#include "core/conversation/turn_stream.hpp"
#include "core/executor.hpp"

namespace companion::core {

class TurnRunner {
 public:
  TurnRunner(std::shared_ptr<ConversationService> conversations,
             std::shared_ptr<TurnStreams> streams, std::shared_ptr<TaskExecutor> pool);

  // Starts a prepared turn on the pool; the stream is returned before the turn begins, so
  // a subscriber sees every event. Nullptr when the pool's queue is full.
  std::shared_ptr<TurnStream> start(PreparedTurn turn);

  // Prepares and starts a turn from the pool (for callers on a network thread, which must
  // not touch the store). `on_refused` runs on a pool thread when the turn is refused;
  // `on_started` with the stream otherwise, before any event is produced. False when the
  // pool is full.
  bool start_later(TurnRequest request,
                   std::function<void(const std::shared_ptr<TurnStream>&)> on_started,
                   std::function<void(const TurnRefused&)> on_refused);

  // Runs a prepared turn on the calling thread, through a registered stream (so that it
  // can be resumed and stopped like the others).
  TurnResult run_here(PreparedTurn turn, TurnObserver* also = nullptr);

  ConversationService& conversations() { return *conversations_; }
  TurnStreams& streams() { return *streams_; }

 private:
  std::shared_ptr<TurnStream> register_stream(PreparedTurn& turn);

  std::shared_ptr<ConversationService> conversations_;
  std::shared_ptr<TurnStreams> streams_;
  std::shared_ptr<TaskExecutor> pool_;
};

}  // namespace companion::core
