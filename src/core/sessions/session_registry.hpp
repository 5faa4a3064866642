#pragma once
// The Voice Assistant's sessions: who owns each one, which client connections are open on
// it and where a reconnecting client resumes. Sessions are written through to a
// SessionRepository; live state (open sockets, last activity, resume points) is kept in
// memory, so the calls made from network threads never touch a store.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/events/event_type.hpp"
#include "core/sessions/session.hpp"
#include "core/sessions/session_repository.hpp"

namespace companion::core {

// Where the last connection of a session stopped reading, for the next one to resume.
struct ResumePoint {
  std::string last_event_id;
  std::set<EventType> subscribed;
};

struct SessionState {
  Session session;
  int open_sockets = 0;
};

enum class ClaimOutcome {
  Created,             // a new session (the id generated, or the client's new id)
  Joined,              // the user's existing session
  OwnedByAnotherUser,  // refused: the id belongs to someone else
  InvalidId,           // refused: not an acceptable session id
};

struct SessionClaim {
  ClaimOutcome outcome = ClaimOutcome::InvalidId;
  Session session;
  std::optional<ResumePoint> resume;  // set when a previous connection left one
};

class SessionRegistry {
 public:
  explicit SessionRegistry(std::shared_ptr<SessionRepository> repository);

  // Finds or creates the session a client names (a generated id when it names none).
  // May touch the repository: call it off the network threads.
  SessionClaim claim(const std::string& user_id, const std::string& requested_id,
                     const std::string& client_type);

  // A client connection opened on the session; `close` ends it when the session is
  // closed. Returns the socket's handle, 0 when the session no longer exists.
  std::uint64_t attach_socket(const std::string& session_id, std::function<void()> close);
  // The connection ended; the session remembers where it stopped.
  void detach_socket(const std::string& session_id, std::uint64_t socket, ResumePoint resume);
  void touch(const std::string& session_id);

  // Removes the session and closes its open connections. False when there is no such
  // session. May touch the repository.
  bool close(const std::string& session_id);

  std::optional<SessionState> find(const std::string& session_id);
  // A user's sessions (every session when nullopt), oldest first.
  std::vector<SessionState> list(const std::optional<std::string>& user_id);
  // Open client connections over all sessions.
  std::size_t open_sockets() const;

 private:
  struct Live {
    Session session;
    std::map<std::uint64_t, std::function<void()>> sockets;
    std::optional<ResumePoint> resume;
  };

  SessionClaim create(const std::string& user_id, std::string id, const std::string& client_type);
  SessionState state_of(const Session& stored) const;  // mutex_ held

  std::shared_ptr<SessionRepository> repository_;
  std::mutex claim_mutex_;    // serialises claim/close, which may wait on the repository
  mutable std::mutex mutex_;  // guards live_; held only briefly
  std::unordered_map<std::string, Live> live_;
  std::uint64_t next_socket_ = 1;
};

}  // namespace companion::core
