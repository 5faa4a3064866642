#include "core/cancellation_token.hpp"

#include <mutex>

namespace companion::core {

struct CancellationToken::Registration::State {
  std::mutex mutex;
  bool cancelled = false;
  std::function<void()> action;
};

CancellationToken::CancellationToken() : state_(std::make_shared<Registration::State>()) {}

void CancellationToken::cancel() {
  // The action runs under the lock so that it cannot race the registration's removal: once
  // the request has dropped its registration, nothing touches its (soon destroyed) socket.
  std::lock_guard lock(state_->mutex);
  if (state_->cancelled) return;
  state_->cancelled = true;
  if (state_->action) state_->action();
}

bool CancellationToken::cancelled() const {
  std::lock_guard lock(state_->mutex);
  return state_->cancelled;
}

CancellationToken::Registration CancellationToken::on_cancel(std::function<void()> action) const {
  std::lock_guard lock(state_->mutex);
  if (state_->cancelled) {
    action();
  } else {
    state_->action = std::move(action);
  }
  return Registration(state_);
}

CancellationToken::Registration::~Registration() {
  std::lock_guard lock(state_->mutex);
  state_->action = nullptr;
}

}  // namespace companion::core
