#include "core/conversation/turn_runner.hpp"

namespace companion::core {
namespace {

// Passes each event to two observers: the stream, and the caller's own.
class BothObservers final : public TurnObserver {
 public:
  BothObservers(TurnObserver& first, TurnObserver* second) : first_(first), second_(second) {}
  void on_start(const TurnStart& start) override {
    first_.on_start(start);
    if (second_) second_->on_start(start);
  }
  void on_text(std::string_view delta) override {
    first_.on_text(delta);
    if (second_) second_->on_text(delta);
  }
  void on_tool(const ToolActivity& activity) override {
    first_.on_tool(activity);
    if (second_) second_->on_tool(activity);
  }
  void on_end(const TurnResult& result) override {
    first_.on_end(result);
    if (second_) second_->on_end(result);
  }

 private:
  TurnObserver& first_;
  TurnObserver* second_;
};

}  // namespace

TurnRunner::TurnRunner(std::shared_ptr<ConversationService> conversations,
                       std::shared_ptr<TurnStreams> streams, std::shared_ptr<TaskExecutor> pool)
    : conversations_(std::move(conversations)),
      streams_(std::move(streams)),
      pool_(std::move(pool)) {}

std::shared_ptr<TurnStream> TurnRunner::register_stream(PreparedTurn& turn) {
  auto stream =
      streams_->begin(turn.conversation().id, turn.request().user_id, turn.request().cancellation);
  // The stream names the turn: the turn takes the stream's id.
  turn.set_turn_id(stream->turn_id());
  return stream;
}

std::shared_ptr<TurnStream> TurnRunner::start(PreparedTurn turn) {
  auto stream = register_stream(turn);
  auto shared_turn = std::make_shared<PreparedTurn>(std::move(turn));
  bool queued = pool_->try_post(
      [this, stream, shared_turn] { conversations_->run(std::move(*shared_turn), *stream); });
  if (!queued) {
    // Nothing ran: the stream must not look like a turn in progress.
    TurnResult refused;
    refused.turn_id = stream->turn_id();
    refused.status = TurnStatus::Failed;
    refused.error = "server busy";
    stream->on_end(refused);
    return nullptr;
  }
  return stream;
}

bool TurnRunner::start_later(TurnRequest request,
                             std::function<void(const std::shared_ptr<TurnStream>&)> on_started,
                             std::function<void(const TurnRefused&)> on_refused) {
  return pool_->try_post([this, request = std::move(request), on_started = std::move(on_started),
                          on_refused = std::move(on_refused)]() mutable {
    std::optional<PreparedTurn> turn;
    try {
      turn = conversations_->prepare(std::move(request));
    } catch (const TurnRefused& refused) {
      on_refused(refused);
      return;
    }
    auto stream = register_stream(*turn);
    on_started(stream);
    conversations_->run(std::move(*turn), *stream);
  });
}

TurnResult TurnRunner::run_here(PreparedTurn turn, TurnObserver* also) {
  auto stream = register_stream(turn);
  BothObservers observers(*stream, also);
  return conversations_->run(std::move(turn), observers);
}

}  // namespace companion::core
