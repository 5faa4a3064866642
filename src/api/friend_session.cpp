#include "api/friend_session.hpp"

namespace companion::api {

std::string current_friend_session(ChatDeps& deps, std::int64_t user_id) {
  auto& store = deps.turns->conversations().store();
  if (auto latest = store.latest(user_id, friend_client_type)) return latest->id;
  auto id = make_uuid();
  deps.turns->conversations().open(user_id, id, std::string(friend_client_type), "");
  return id;
}

}  // namespace companion::api
