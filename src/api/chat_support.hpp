#pragma once
// What every chat dialect shares: who the turn is for, how a refused turn answers over
// HTTP, the emotion shapes, and relaying a running turn to a Server-Sent Events client
// (with resumption from Last-Event-ID).
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/accounts/account_service.hpp"
#include "core/conversation/turn_runner.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/streams.hpp"

namespace companion::core {
class CharacterService;
class StageStatistics;
class ModelRouter;
class EmotionAnalyzer;
class IntentDetector;
class MemoryService;
class KnowledgeService;
class TaskExecutor;
}  // namespace companion::core

namespace companion::api {

// Everything the chat routes of every dialect need.
struct ChatDeps {
  std::shared_ptr<core::AccountService> accounts;
  std::shared_ptr<core::TurnRunner> turns;
  std::shared_ptr<core::CharacterService> characters;
  std::shared_ptr<core::StageStatistics> stages;
  std::shared_ptr<core::ModelRouter> models;
  std::shared_ptr<core::EmotionAnalyzer> emotions;
  std::shared_ptr<core::IntentDetector> intents;
  std::shared_ptr<core::MemoryService> memory;
  std::shared_ptr<core::KnowledgeService> knowledge;
  // Short blocking work for handlers on a network thread, which must not touch the store
  // themselves (looking up the user a WebSocket acts for before its turn can start).
  std::shared_ptr<core::TaskExecutor> workers;
};

// How long a chat route's handler holds its thread.
enum class ChatWork {
  Brief,      // answers at once (lists, history, a stream that follows a started turn)
  WholeTurn,  // runs the turn before answering: the long-running pool, not the workers
};

// A route for any signed-in user whose handler is called with the dependencies.
template <class Handler>
http::Route user_route(const std::shared_ptr<ChatDeps>& deps, http::Method method,
                       std::string pattern, Handler handler, http::RouteDoc doc) {
  http::Route route;
  route.method = method;
  route.pattern = std::move(pattern);
  route.access = http::Access::User;
  route.doc = std::move(doc);
  route.handler = [deps, handler](http::Request& req) { return handler(*deps, req); };
  return route;
}

// Registers a route of a chat dialect: a user_route in the "chat" rate group.
template <class Handler>
void add_chat_route(http::Router& router, const std::shared_ptr<ChatDeps>& deps,
                    http::Method method, std::string pattern, Handler handler, http::RouteDoc doc,
                    ChatWork work = ChatWork::Brief) {
  auto route = user_route(deps, method, std::move(pattern), handler, std::move(doc));
  route.rate_group = "chat";
  route.long_running = work == ChatWork::WholeTurn;
  router.add(std::move(route));
}

// The principal the turn runs for; the root key must name a user.
core::Principal chat_user(ChatDeps& deps, const http::Request& req, std::string_view named);
// A TurnRequest for the principal, with a fresh cancellation token.
core::TurnRequest turn_request_for(const core::Principal& user, std::string conversation_id,
                                   std::string client_type, std::string text);

// TurnRefused as an HTTP error: another user's session 403, unknown character or model
// 404, an empty message 422.
[[noreturn]] void throw_refused(const core::TurnRefused& refused);

// AI Friend's emotion object: primary_emotion, confidence, all_emotions, sentiment_score,
// subjectivity, intensity.
boost::json::object friend_emotion_json(const core::EmotionAnalysis& analysis);
// AI Coach's {"items": [{"name", "intensity"}]}.
boost::json::object coach_emotion_json(const std::vector<core::EmotionItem>& items);

// Unix milliseconds as "2025-01-16T10:30:00.245Z".
std::string iso8601_ms(std::int64_t unix_ms);

// A version-4 UUID, for the dialects whose session ids look like one.
std::string make_uuid();

// Turns one stream event into the SSE events of a dialect (none, one or several).
using SseFormatter = std::function<std::vector<http::SseEvent>(const core::StreamEvent&)>;

// Streams the turn to the client from event `after` on; ends the response after the
// turn's end. The client leaving drops the subscription (the turn is then cancelled
// unless a client resumes it within the grace period).
http::Response relay_turn_as_sse(std::shared_ptr<core::TurnStream> stream, std::uint64_t after,
                                 SseFormatter format);

// The event id a reconnecting client names: the Last-Event-ID header, else the
// last_event_id query parameter; nullopt when it names none.
std::optional<std::string> last_event_id(const http::Request& req);

// The turn a reconnecting SSE client asks to resume (Last-Event-ID header or
// last_event_id query), and the last event it saw; nullopt when it names none we know.
struct Resumption {
  std::shared_ptr<core::TurnStream> stream;
  std::uint64_t after = 0;
};
std::optional<Resumption> resumption_for(core::TurnStreams& streams, const http::Request& req,
                                         std::int64_t user_id);

// Runs `prepare` and maps TurnRefused (throw_refused).
core::PreparedTurn prepare_turn(ChatDeps& deps, core::TurnRequest request);
// The whole turn on the calling thread, for the routes that answer with the full reply
// (ChatWork::WholeTurn).
core::TurnResult run_whole_turn(ChatDeps& deps, core::TurnRequest request);
// Prepares, then starts the turn on the turn pool; 503 when the pool is full.
std::shared_ptr<core::TurnStream> start_turn(ChatDeps& deps, core::TurnRequest request);

// Follows a turn for a socket: the events after `after` at once, then each as it happens,
// until the turn ends or stop() is called. It keeps itself alive while it follows, so a
// caller that only waits for the reply need not hold it; one that may leave first (a
// socket that closes) keeps it and calls stop().
class TurnFollower {
 public:
  static std::shared_ptr<TurnFollower> follow(std::shared_ptr<core::TurnStream> stream,
                                              std::uint64_t after, core::StreamHandler handler);
  // No more events after this returns (unless called from the handler itself, which then
  // receives none after the current one).
  void stop();

 private:
  std::mutex mutex_;
  core::TurnStream::Subscription subscription_;
  bool stopped_ = false;
};

}  // namespace companion::api
