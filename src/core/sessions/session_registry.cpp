#include "core/sessions/session_registry.hpp"

#include "core/sessions/session_id.hpp"

namespace companion::core {

SessionRegistry::SessionRegistry(std::shared_ptr<SessionRepository> repository)
    : repository_(std::move(repository)) {}

SessionClaim SessionRegistry::claim(const std::string& user_id, const std::string& requested_id,
                                    const std::string& client_type) {
  std::lock_guard claim_lock(claim_mutex_);
  if (requested_id.empty()) {
    auto now = std::chrono::system_clock::now();
    std::string id = generate_session_id(user_id, now);
    while (repository_->find(id)) id = generate_session_id(user_id, now);
    return create(user_id, std::move(id), client_type);
  }
  if (!is_valid_session_id(requested_id)) return {ClaimOutcome::InvalidId, {}, std::nullopt};

  {
    std::lock_guard lock(mutex_);
    auto it = live_.find(requested_id);
    if (it != live_.end()) {
      if (it->second.session.user_id != user_id) {
        return {ClaimOutcome::OwnedByAnotherUser, {}, std::nullopt};
      }
      it->second.session.last_activity = std::chrono::system_clock::now();
      return {ClaimOutcome::Joined, it->second.session, it->second.resume};
    }
  }
  if (auto stored = repository_->find(requested_id)) {
    if (stored->user_id != user_id) return {ClaimOutcome::OwnedByAnotherUser, {}, std::nullopt};
    stored->last_activity = std::chrono::system_clock::now();
    std::lock_guard lock(mutex_);
    live_[stored->id].session = *stored;
    return {ClaimOutcome::Joined, *stored, std::nullopt};
  }
  return create(user_id, requested_id, client_type);
}

SessionClaim SessionRegistry::create(const std::string& user_id, std::string id,
                                     const std::string& client_type) {
  Session session;
  session.id = std::move(id);
  session.user_id = user_id;
  session.client_type = client_type;
  session.created_at = std::chrono::system_clock::now();
  session.last_activity = session.created_at;
  repository_->save(session);
  std::lock_guard lock(mutex_);
  live_[session.id] = Live{session, {}, std::nullopt};
  return {ClaimOutcome::Created, session, std::nullopt};
}

std::uint64_t SessionRegistry::attach_socket(const std::string& session_id,
                                             std::function<void()> close) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(session_id);
  if (it == live_.end()) return 0;
  std::uint64_t socket = next_socket_++;
  it->second.sockets.emplace(socket, std::move(close));
  it->second.session.last_activity = std::chrono::system_clock::now();
  return socket;
}

void SessionRegistry::detach_socket(const std::string& session_id, std::uint64_t socket,
                                    ResumePoint resume) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(session_id);
  if (it == live_.end() || it->second.sockets.erase(socket) == 0) return;
  it->second.resume = std::move(resume);
  it->second.session.last_activity = std::chrono::system_clock::now();
}

void SessionRegistry::touch(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(session_id);
  if (it != live_.end()) it->second.session.last_activity = std::chrono::system_clock::now();
}

bool SessionRegistry::close(const std::string& session_id) {
  std::vector<std::function<void()>> closers;
  bool existed;
  {
    std::lock_guard claim_lock(claim_mutex_);
    existed = repository_->remove(session_id);
    std::lock_guard lock(mutex_);
    auto it = live_.find(session_id);
    if (it != live_.end()) {
      existed = true;
      for (auto& [socket, close] : it->second.sockets) closers.push_back(std::move(close));
      live_.erase(it);
    }
  }
  // Outside the locks: closing a connection may call back into detach_socket().
  for (auto& close : closers) close();
  return existed;
}

SessionState SessionRegistry::state_of(const Session& stored) const {
  auto it = live_.find(stored.id);
  if (it == live_.end()) return {stored, 0};
  return {it->second.session, static_cast<int>(it->second.sockets.size())};
}

std::optional<SessionState> SessionRegistry::find(const std::string& session_id) {
  {
    std::lock_guard lock(mutex_);
    auto it = live_.find(session_id);
    if (it != live_.end()) return state_of(it->second.session);
  }
  auto stored = repository_->find(session_id);
  if (!stored) return std::nullopt;
  return SessionState{*stored, 0};
}

std::vector<SessionState> SessionRegistry::list(const std::optional<std::string>& user_id) {
  std::vector<Session> stored = repository_->list(user_id);
  std::vector<SessionState> out;
  out.reserve(stored.size());
  std::lock_guard lock(mutex_);
  for (const Session& session : stored) out.push_back(state_of(session));
  return out;
}

std::size_t SessionRegistry::open_sockets() const {
  std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const auto& [id, live] : live_) total += live.sockets.size();
  return total;
}

}  // namespace companion::core
