#pragma once
// Whom a Chattr WebSocket acts for and in which session: the credential of its "auth"
// message (or of the upgrade request), the user an admin acts for, and the session it
// names. These checks read the store, so they run on the worker pool, never on a network
// thread.
#include <memory>
#include <optional>
#include <string>

#include "api/chat_support.hpp"
#include "core/accounts/credential.hpp"
#include "core/accounts/principal.hpp"

namespace companion::api {

struct ChattrAuthResult {
  enum class Status {
    Authenticated,
    BadCredential,  // the socket is closed: UNAUTHORIZED (or FORBIDDEN for an allow-list miss)
    Refused,        // the credential is good but the session or acting user is not: `code`
  };
  Status status = Status::BadCredential;
  std::string code;  // the error frame's code when not Authenticated
  std::string message;
  core::Principal user;
  std::string session_id;  // the named session, or a new id when none was named
  // A reply of the user's still being written in the session, to show from its start.
  std::shared_ptr<core::TurnStream> running;
  std::string running_character_id;
};

// What the socket asks for: an acting user (admins) and a session, both possibly empty.
struct ChattrAuthRequest {
  std::string acting_for;
  std::string session_id;
};

// Checks a credential sent in an "auth" message, then the request.
ChattrAuthResult authenticate_chattr_credential(ChatDeps& deps,
                                                const core::PresentedCredential& credential,
                                                const core::RequestOrigin& origin,
                                                const ChattrAuthRequest& request);

// Checks the request for a principal already authenticated (on the upgrade request).
ChattrAuthResult admit_chattr_principal(ChatDeps& deps, const core::Principal& principal,
                                        const ChattrAuthRequest& request);

}  // namespace companion::api
