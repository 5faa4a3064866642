#include "api/chattr_support.hpp"

#include <string>

#include "api/chat_support.hpp"
#include "core/conversation/conversation.hpp"
#include "http/time_format.hpp"

namespace companion::api {

boost::json::object chattr_media_json() {
  // No media generation runs for a chat reply yet: clients that read media.audio_url find
  // null instead of a missing key.
  return {{"audio_url", nullptr}, {"video_url", nullptr}};
}

std::string chattr_reply_timestamp(const core::StoredMessage& reply) {
  if (reply.created_at_ms > 0) return iso8601_ms(reply.created_at_ms);
  return http::iso8601_now();
}

}  // namespace companion::api
