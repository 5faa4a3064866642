#pragma once
// Where sessions are kept. The registry keeps live state (open sockets, activity) in
// memory and writes sessions through this port, which the conversation store implements
// for persistence; InMemorySessionRepository serves until then and in tests.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sessions/session.hpp"

namespace companion::core {

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual std::optional<Session> find(std::string_view session_id) = 0;
  // Inserts or replaces by id.
  virtual void save(const Session& session) = 0;
  // False when there was no such session.
  virtual bool remove(std::string_view session_id) = 0;
  // A user's sessions, or every session when user_id is nullopt; oldest first.
  virtual std::vector<Session> list(const std::optional<std::string>& user_id) = 0;
};

}  // namespace companion::core
