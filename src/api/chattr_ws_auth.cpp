#include "api/chattr_ws_auth.hpp"

#include <variant>

#include "core/characters/character_service.hpp"
#include "core/sessions/session_id.hpp"

namespace companion::api {

namespace {

ChattrAuthResult refused(std::string code, std::string message) {
  ChattrAuthResult out;
  out.status = ChattrAuthResult::Status::Refused;
  out.code = std::move(code);
  out.message = std::move(message);
  return out;
}

// The user the socket acts for: the principal itself, or the user an admin names.
std::optional<ChattrAuthResult> acting_user(ChatDeps& deps, const core::Principal& principal,
                                            const std::string& acting_for, core::Principal& out) {
  auto acting = deps.accounts->resolve_acting_user(principal, acting_for);
  if (!acting.ok()) {
    if (acting.error() == core::AccountError::NotAllowed)
      return refused("FORBIDDEN", "Not allowed to act for another user");
    return refused("INVALID_REQUEST", "Invalid user_id");
  }
  if (acting->user_id == 0)
    return refused("INVALID_REQUEST", "The root key has no conversations itself: name a user_id");
  out = std::move(*acting);
  return std::nullopt;
}

}  // namespace

ChattrAuthResult admit_chattr_principal(ChatDeps& deps, const core::Principal& principal,
                                        const ChattrAuthRequest& request) {
  ChattrAuthResult out;
  if (auto refusal = acting_user(deps, principal, request.acting_for, out.user)) return *refusal;
  out.session_id = request.session_id.empty() ? make_uuid() : request.session_id;
  if (!core::is_valid_session_id(out.session_id))
    return refused("INVALID_REQUEST", "Invalid session_id: 1 to 128 letters, digits or _-.:");
  // A new session is created by its first message; another user's is not joined.
  auto existing = deps.turns->conversations().store().find(out.session_id);
  if (existing && existing->user_id != out.user.user_id)
    return refused("FORBIDDEN", "Session belongs to another user");
  auto running = deps.turns->streams().running(out.session_id);
  if (running && running->user_id() == out.user.user_id) {
    out.running = std::move(running);
    out.running_character_id = existing && !existing->character_id.empty()
                                   ? existing->character_id
                                   : std::string(core::default_chattr_character_id);
  }
  out.status = ChattrAuthResult::Status::Authenticated;
  return out;
}

ChattrAuthResult authenticate_chattr_credential(ChatDeps& deps,
                                                const core::PresentedCredential& credential,
                                                const core::RequestOrigin& origin,
                                                const ChattrAuthRequest& request) {
  auto outcome = deps.accounts->authenticate(credential, origin);
  if (const auto* failure = std::get_if<core::AuthFailure>(&outcome)) {
    ChattrAuthResult out;
    out.status = ChattrAuthResult::Status::BadCredential;
    out.code = failure->is_forbidden() ? "FORBIDDEN" : "UNAUTHORIZED";
    out.message = failure->message();
    return out;
  }
  const auto& principal = std::get<core::Principal>(outcome);
  deps.accounts->note_activity(principal);
  return admit_chattr_principal(deps, principal, request);
}

}  // namespace companion::api
