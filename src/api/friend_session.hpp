#pragma once
// The AI Friend conversation a user is in. POST /api/chat/send, the SSE stream, the
// history and the WebSocket all continue this one conversation until DELETE
// /api/chat/clear starts a new one.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/chat_support.hpp"

namespace companion::api {

// AI Friend's conversations are stored under this client type.
inline constexpr std::string_view friend_client_type = "friend";

// The user's current AI Friend conversation: the latest one, or a new one. It reads (and
// may write) the store, so it is called off the network threads.
std::string current_friend_session(ChatDeps& deps, std::int64_t user_id);

}  // namespace companion::api
