#pragma once
// What Chattr's REST chat and its WebSocket share: the client type its conversations are
// stored under, the bounds of a message, and the media object of a reply.
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

namespace companion::core {
struct StoredMessage;
}

namespace companion::api {

// Chattr's conversations are stored under this client type.
inline constexpr std::string_view chattr_client_type = "chattr";
inline constexpr std::size_t chattr_max_message = 10000;
inline constexpr std::size_t chattr_max_character_id = 64;
inline constexpr std::size_t chattr_max_user_name = 100;

// A reply's media: {"audio_url", "video_url"}. Both are null until a reply has audio or
// video of its own; a URL is never given for a file that does not exist.
boost::json::object chattr_media_json();

// When the reply was stored, as ISO 8601 (now, for a reply that was not stored).
std::string chattr_reply_timestamp(const core::StoredMessage& reply);

}  // namespace companion::api
