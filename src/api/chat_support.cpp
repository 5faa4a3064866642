#include "api/chat_support.hpp"

#include <boost/json/array.hpp>
#include <random>

#include "api/acting_user.hpp"
#include "core/affect/emotion.hpp"
#include "http/error.hpp"
#include "http/time_format.hpp"

namespace companion::api {

namespace json = boost::json;

core::Principal chat_user(ChatDeps& deps, const http::Request& req, std::string_view named) {
  auto user = resolve_acting_user(*deps.accounts, req, named);
  if (user.user_id == 0)
    throw http::HttpError(400, "The root key has no conversations itself: name a user_id");
  return user;
}

core::TurnRequest turn_request_for(const core::Principal& user, std::string conversation_id,
                                   std::string client_type, std::string text) {
  core::TurnRequest request;
  request.user_id = user.user_id;
  request.username = user.username;
  request.conversation_id = std::move(conversation_id);
  request.client_type = std::move(client_type);
  request.text = std::move(text);
  return request;
}

void throw_refused(const core::TurnRefused& refused) {
  using Reason = core::TurnRefused::Reason;
  switch (refused.reason()) {
    case Reason::ConversationOfAnotherUser:
      throw http::HttpError(403, refused.what());
    case Reason::UnknownCharacter:
      throw http::HttpError(404, refused.what());
    case Reason::UnknownModel:
      throw http::HttpError(404, refused.what());
    case Reason::EmptyMessage:
      throw http::ValidationError({{{"body", "message"}, refused.what(), "value_error"}});
  }
  throw http::HttpError(400, refused.what());
}

json::object friend_emotion_json(const core::EmotionAnalysis& analysis) {
  json::object all;
  for (const auto& [label, share] : analysis.distribution) {
    if (share > 0) all[label] = std::round(share * 1000) / 1000;
  }
  return {{"primary_emotion", analysis.primary},
          {"confidence", std::round(analysis.confidence * 1000) / 1000},
          {"all_emotions", std::move(all)},
          {"sentiment_score", std::round(analysis.sentiment * 1000) / 1000},
          {"subjectivity", std::round(analysis.subjectivity * 1000) / 1000},
          {"intensity", analysis.intensity}};
}

json::object coach_emotion_json(const std::vector<core::EmotionItem>& items) {
  json::array list;
  for (const auto& item : items)
    list.push_back({{"name", item.name}, {"intensity", item.intensity}});
  return {{"items", std::move(list)}};
}

std::string iso8601_ms(std::int64_t unix_ms) {
  return http::iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms)));
}

std::string make_uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t high = rng(), low = rng();
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    std::uint64_t& bits = i < 16 ? high : low;
    int value = static_cast<int>(bits & 0xf);
    bits >>= 4;
    if (i == 12) value = 4;
    if (i == 16) value = 8 | (value & 3);
    out += digits[value];
  }
  return out;
}

http::Response relay_turn_as_sse(std::shared_ptr<core::TurnStream> stream, std::uint64_t after,
                                 SseFormatter format) {
  return http::Response::event_stream([stream = std::move(stream), after,
                                       format =
                                           std::move(format)](std::shared_ptr<http::SseSink> sink) {
    std::weak_ptr<http::SseSink> weak_sink = sink;
    auto subscription = std::make_shared<core::TurnStream::Subscription>();
    *subscription = stream->subscribe(after, [weak_sink, format](const core::StreamEvent& event) {
      auto out = weak_sink.lock();
      if (!out) return;
      for (auto& sse : format(event)) out->send(std::move(sse));
      if (event.kind == core::StreamEvent::Kind::End) out->close();
    });
    // A client that leaves stops following the turn; the holder outlives the callback.
    sink->on_close([subscription] { *subscription = core::TurnStream::Subscription(); });
    // A client resuming after the last event of a finished turn has nothing to wait for.
    if (stream->finished() && after >= stream->last_sequence()) sink->close();
  });
}

std::optional<std::string> last_event_id(const http::Request& req) {
  if (auto header = req.headers.get("Last-Event-ID")) return std::string(*header);
  return req.query("last_event_id");
}

std::optional<Resumption> resumption_for(core::TurnStreams& streams, const http::Request& req,
                                         std::int64_t user_id) {
  auto last = last_event_id(req);
  if (!last) return std::nullopt;
  auto parsed = core::parse_stream_event_id(*last);
  if (!parsed) return std::nullopt;
  auto stream = streams.by_turn(parsed->first);
  if (!stream || stream->user_id() != user_id) return std::nullopt;
  return Resumption{std::move(stream), parsed->second};
}

core::PreparedTurn prepare_turn(ChatDeps& deps, core::TurnRequest request) {
  try {
    return deps.turns->conversations().prepare(std::move(request));
  } catch (const core::TurnRefused& refused) {
    throw_refused(refused);
  }
}

core::TurnResult run_whole_turn(ChatDeps& deps, core::TurnRequest request) {
  return deps.turns->run_here(prepare_turn(deps, std::move(request)));
}

std::shared_ptr<core::TurnStream> start_turn(ChatDeps& deps, core::TurnRequest request) {
  auto stream = deps.turns->start(prepare_turn(deps, std::move(request)));
  if (!stream) throw http::HttpError(503, "Server busy, try again");
  return stream;
}

std::shared_ptr<TurnFollower> TurnFollower::follow(std::shared_ptr<core::TurnStream> stream,
                                                   std::uint64_t after,
                                                   core::StreamHandler handler) {
  auto follower = std::make_shared<TurnFollower>();
  // The handler holds the follower (and so the subscription, and so the stream) until the
  // end event or stop() breaks the cycle.
  auto subscription = stream->subscribe(
      after, [follower, handler = std::move(handler)](const core::StreamEvent& event) {
        handler(event);
        if (event.kind == core::StreamEvent::Kind::End) follower->stop();
      });
  std::lock_guard lock(follower->mutex_);
  // A turn that had already ended was replayed to its end inside subscribe(): `subscription`
  // then ends when this returns.
  if (!follower->stopped_) follower->subscription_ = std::move(subscription);
  return follower;
}

void TurnFollower::stop() {
  core::TurnStream::Subscription ending;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    ending = std::move(subscription_);
  }
  // `ending` unsubscribes here, outside the lock: the stream's delivery may be calling
  // into this follower at the same moment.
}

}  // namespace companion::api
