#include "core/sessions/in_memory_session_repository.hpp"

#include <algorithm>

namespace companion::core {

std::optional<Session> InMemorySessionRepository::find(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return std::nullopt;
  return it->second;
}

void InMemorySessionRepository::save(const Session& session) {
  std::lock_guard lock(mutex_);
  sessions_.insert_or_assign(session.id, session);
}

bool InMemorySessionRepository::remove(std::string_view session_id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return false;
  sessions_.erase(it);
  return true;
}

std::vector<Session> InMemorySessionRepository::list(const std::optional<std::string>& user_id) {
  std::vector<Session> out;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, session] : sessions_) {
      if (!user_id || session.user_id == *user_id) out.push_back(session);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Session& a, const Session& b) { return a.created_at < b.created_at; });
  return out;
}

}  // namespace companion::core
