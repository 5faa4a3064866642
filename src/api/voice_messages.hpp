#pragma once
// Extension points of the Voice Assistant WebSocket (/ws): the table of handlers for
// client message types beyond the built-in ping/subscribe/unsubscribe ("chat",
// "music_control", ...), which app/ fills as those services are wired, and what the
// welcome message announces as available.
#include <functional>
#include <map>
#include <string>

#include <boost/json/object.hpp>

#include "core/accounts/principal.hpp"

namespace companion::api {

// The connection a message came from.
struct VoiceClient {
  std::string session_id;
  std::string user_id;  // the user the connection acts for
  std::string client_type;
  core::Principal principal;  // who authenticated (may be an admin acting for user_id)
  // Queues a frame to this connection from any thread; false when it is gone.
  std::function<bool(const boost::json::object&)> send;
};

// Runs on the connection's network thread and must not block: hand the work to a
// core::TaskExecutor and answer through client.send. A handler that throws gets the
// client an error frame.
using VoiceMessageHandler =
    std::function<void(const VoiceClient& client, const boost::json::object& message)>;
using VoiceMessageHandlers = std::map<std::string, VoiceMessageHandler, std::less<>>;

// The welcome message's "features": what this server has wired.
struct VoiceFeatures {
  bool chat = false;
  bool events = false;
  bool music = false;
  bool memory = false;
  bool rag = false;
};
using VoiceFeatureProvider = std::function<VoiceFeatures()>;

}  // namespace companion::api
