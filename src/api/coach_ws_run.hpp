#pragma once
// One reply on the AI Coach socket (/ws/chat/): follows the turn's stream and writes the
// documented frames — response_start, text_token for every piece, text_sentence (with the
// sentence's emotion items) as soon as each sentence is complete, slides_response and
// slides_done when the turn made or changed slides, then response_done with the measured
// timings and response_ended. Stream events arrive on the turn's thread; stop() and
// supersede() come from the socket's thread.
#include <atomic>
#include <memory>
#include <string>

#include <boost/json/object.hpp>

#include "api/coach_local_time.hpp"
#include "core/affect/emotion.hpp"
#include "core/conversation/turn_stream.hpp"
#include "core/executor.hpp"
#include "core/knowledge/sentence_stream.hpp"
#include "core/slides/slides_repository.hpp"
#include "http/streams.hpp"

namespace companion::api {

struct CoachRunSetup {
  std::weak_ptr<http::WebSocketPeer> peer;
  std::shared_ptr<core::EmotionAnalyzer> emotions;  // null: sentences carry no items
  std::shared_ptr<core::SlidesRepository> slides;
  std::shared_ptr<core::TaskExecutor> workers;  // reads the slides off the turn's thread
  core::CancellationToken cancellation;         // the turn's
  ClientClock clock;
  ClientClock::Steady::time_point received;  // when the query arrived
};

class CoachRun final : public std::enable_shared_from_this<CoachRun> {
 public:
  explicit CoachRun(CoachRunSetup setup) : setup_(std::move(setup)) {}

  // The turn started: follow its stream (on the pool thread that is about to run it).
  void follow(const std::shared_ptr<core::TurnStream>& stream);
  // The turn could not start: the client is told why.
  void refused(const std::string& message);

  // Cancels the turn; its end is still reported (response_done says "interrupted").
  // False when the reply had already ended.
  bool stop();
  // A newer query replaces this run: the turn is cancelled and sends nothing more.
  void supersede();

 private:
  void on_event(const core::StreamEvent& event);
  void on_text(std::string_view piece);
  void on_end(const core::TurnResult& result);
  void send_slides(const std::string& conversation_id);
  void send_end(const core::TurnResult& result);
  void send_sentence(const std::string& sentence);
  void send(boost::json::object frame);

  CoachRunSetup setup_;
  core::SentenceStream sentences_;  // touched on the turn's thread only
  core::TurnStream::Subscription subscription_;
  std::atomic<bool> superseded_{false};
  std::atomic<bool> ended_{false};
};

}  // namespace companion::api
