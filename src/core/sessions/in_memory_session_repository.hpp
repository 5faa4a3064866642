#pragma once
// Sessions kept in this process only (lost at restart).
#include <map>
#include <mutex>

#include "core/sessions/session_repository.hpp"

namespace companion::core {

class InMemorySessionRepository final : public SessionRepository {
 public:
  std::optional<Session> find(std::string_view session_id) override;
  void save(const Session& session) override;
  bool remove(std::string_view session_id) override;
  std::vector<Session> list(const std::optional<std::string>& user_id) override;

 private:
  std::mutex mutex_;
  std::map<std::string, Session, std::less<>> sessions_;
};

}  // namespace companion::core
