#pragma once
// A handle another thread can use to stop a running operation (a turn, an outbound request). Copies
// share one state: the caller keeps a copy and hands another to the request. Cancelling runs the
// action the request registered (closing its socket), so a blocked read ends at once.
#include <functional>
#include <memory>

namespace companion::core {

class CancellationToken {
 public:
  CancellationToken();

  // Thread-safe; later calls do nothing. A request that starts after cancel() fails at once.
  void cancel();
  bool cancelled() const;

  // Runs `action` on cancel() (or now, when already cancelled) until the returned guard is
  // destroyed. One registration at a time: a request registers while it runs.
  class Registration {
   public:
    Registration(Registration&&) = delete;
    ~Registration();

   private:
    friend class CancellationToken;
    struct State;
    explicit Registration(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };
  [[nodiscard]] Registration on_cancel(std::function<void()> action) const;

 private:
  std::shared_ptr<Registration::State> state_;
};

}  // namespace companion::core
