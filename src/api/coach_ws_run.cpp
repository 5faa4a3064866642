#include "api/coach_ws_run.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "api/chat_support.hpp"
#include "core/conversation/tools/slides_tool.hpp"
#include "http/json_text.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

std::int64_t whole_ms(double ms) {
  return std::llround(std::max(ms, 0.0));
}

bool made_slides(const core::TurnResult& result) {
  return std::any_of(result.tools.begin(), result.tools.end(), [](const core::ToolActivity& t) {
    return t.tool == core::slides_tool_name && t.phase == core::ToolActivity::Phase::Finished;
  });
}

json::value parsed_or_empty(const std::string& text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  return ec ? json::value(json::object{}) : value;
}

}  // namespace

void CoachRun::follow(const std::shared_ptr<core::TurnStream>& stream) {
  if (superseded_) return;  // replaced before it began: it runs cancelled, unheard
  // The handler keeps the run alive until the end, where it lets go of the stream itself.
  subscription_ = stream->subscribe(
      0, [self = shared_from_this()](const core::StreamEvent& event) { self->on_event(event); });
}

void CoachRun::refused(const std::string& message) {
  ended_ = true;
  send({{"type", "error"}, {"message", message}});
}

bool CoachRun::stop() {
  if (ended_) return false;
  setup_.cancellation.cancel();
  return true;
}

void CoachRun::supersede() {
  superseded_ = true;
  setup_.cancellation.cancel();
}

void CoachRun::on_event(const core::StreamEvent& event) {
  using Kind = core::StreamEvent::Kind;
  switch (event.kind) {
    case Kind::Start:
      send({{"type", "response_start"},
            {"turn_id", event.start->turn_id},
            {"local_time", setup_.clock.now()}});
      break;
    case Kind::Text:
      on_text(event.text);
      break;
    case Kind::Tool:
      break;
    case Kind::End:
      // Unsubscribing from inside the handler is deferred by the stream until delivery ends.
      subscription_ = core::TurnStream::Subscription();
      on_end(*event.end);
      break;
  }
}

void CoachRun::on_text(std::string_view piece) {
  if (superseded_) return;
  send({{"type", "text_token"}, {"text", piece}});
  for (const auto& sentence : sentences_.push(piece)) send_sentence(sentence);
}

void CoachRun::send_sentence(const std::string& sentence) {
  std::vector<core::EmotionItem> items;
  if (setup_.emotions) items = setup_.emotions->items_of(setup_.emotions->analyze(sentence));
  send({{"type", "text_sentence"},
        {"text", sentence},
        {"emotion", coach_emotion_json(items)},
        {"local_time", setup_.clock.now()}});
}

void CoachRun::on_end(const core::TurnResult& result) {
  if (superseded_) {
    ended_ = true;
    return;
  }
  for (const auto& sentence : sentences_.finish()) send_sentence(sentence);
  if (result.status == core::TurnStatus::Failed)
    send({{"type", "error"}, {"message", "The reply could not be completed: " + result.error}});
  if (!made_slides(result) || !setup_.slides || !setup_.workers) {
    send_end(result);
    return;
  }
  // The deck is read from the store, which the turn's thread must not wait on while it
  // delivers events: a worker sends the slides and then the end of the reply.
  auto self = shared_from_this();
  auto shared_result = std::make_shared<core::TurnResult>(result);
  bool queued = setup_.workers->try_post([self, shared_result] {
    self->send_slides(shared_result->conversation.id);
    self->send_end(*shared_result);
  });
  if (!queued) {
    send({{"type", "error"}, {"message", "The slides could not be loaded: server busy"}});
    send_end(result);
  }
}

void CoachRun::send_slides(const std::string& conversation_id) {
  std::optional<core::SlideDeck> deck;
  try {
    deck = setup_.slides->latest_for(conversation_id);
  } catch (const std::exception& error) {
    send({{"type", "error"},
          {"message", std::string("The slides could not be loaded: ") + error.what()}});
    return;
  }
  if (!deck) return;
  send({{"type", "slides_response"},
        {"slides",
         {{"id", deck->id},
          {"title", deck->title},
          {"summary", deck->summary},
          {"editorjs", parsed_or_empty(deck->editorjs_json)}}},
        {"local_time", setup_.clock.now()}});
  send({{"type", "slides_done"}, {"local_time", setup_.clock.now()}});
}

void CoachRun::send_end(const core::TurnResult& result) {
  // Over before the client can hear so: a stop_audio sent after response_ended must find
  // nothing left to stop.
  ended_ = true;
  const auto& t = result.timings;
  auto ws_seconds = std::chrono::duration<double>(ClientClock::Steady::now() - setup_.received);
  send({{"type", "response_done"},
        {"turn_id", result.turn_id},
        {"status", std::string(core::turn_status_name(result.status))},
        {"timings",
         {{"prepare_ms", whole_ms(t.prepare_ms)},
          {"run_ms", whole_ms(t.run_ms)},
          {"total_ms", whole_ms(t.total_ms)},
          {"ws_total_sec", std::round(ws_seconds.count() * 1000) / 1000}}},
        {"local_time", setup_.clock.now()}});
  send({{"type", "response_ended"}, {"local_time", setup_.clock.now()}});
}

void CoachRun::send(json::object frame) {
  if (superseded_) return;
  if (auto peer = setup_.peer.lock()) peer->send_text(http::to_json_text(frame));
}

}  // namespace companion::api
