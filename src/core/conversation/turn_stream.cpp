#include "core/conversation/turn_stream.hpp"

#include <charconv>
#include <random>

namespace companion::core {
namespace {

std::string new_turn_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id = "turn_";
  for (int i = 0; i < 16; ++i, bits >>= 4) id += hex[bits & 0xf];
  return id;
}

}  // namespace

TurnStream::TurnStream(std::string turn_id, std::string conversation_id, std::int64_t user_id,
                       CancellationToken cancellation)
    : turn_id_(std::move(turn_id)),
      conversation_id_(std::move(conversation_id)),
      user_id_(user_id),
      cancellation_(std::move(cancellation)) {}

TurnStream::Subscription& TurnStream::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    if (stream_) stream_->unsubscribe(id_);
    stream_ = std::move(other.stream_);
    id_ = other.id_;
  }
  return *this;
}

TurnStream::Subscription::~Subscription() {
  if (stream_) stream_->unsubscribe(id_);
}

TurnStream::Subscription TurnStream::subscribe(std::uint64_t after_sequence,
                                               StreamHandler handler) {
  std::lock_guard lock(mutex_);
  delivering_ = true;
  for (const auto& event : events_) {
    if (event.sequence > after_sequence) handler(event);
  }
  end_delivery();
  auto id = next_handler_++;
  handlers_.emplace(id, std::move(handler));
  abandoned_since_.reset();
  return Subscription(shared_from_this(), id);
}

void TurnStream::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  if (delivering_) {
    leaving_.push_back(id);
    return;
  }
  handlers_.erase(id);
  if (handlers_.empty() && !finished_at_) abandoned_since_ = std::chrono::steady_clock::now();
}

bool TurnStream::finished() const {
  std::lock_guard lock(mutex_);
  return finished_at_.has_value();
}

std::size_t TurnStream::subscribers() const {
  std::lock_guard lock(mutex_);
  return handlers_.size();
}

std::optional<std::chrono::steady_clock::time_point> TurnStream::abandoned_since() const {
  std::lock_guard lock(mutex_);
  return abandoned_since_;
}

std::optional<std::chrono::steady_clock::time_point> TurnStream::finished_at() const {
  std::lock_guard lock(mutex_);
  return finished_at_;
}

std::uint64_t TurnStream::last_sequence() const {
  std::lock_guard lock(mutex_);
  return events_.empty() ? 0 : events_.back().sequence;
}

void TurnStream::append(StreamEvent event) {
  std::lock_guard lock(mutex_);
  event.sequence = events_.size() + 1;
  event.id = turn_id_ + ":" + std::to_string(event.sequence);
  if (event.kind == StreamEvent::Kind::End) finished_at_ = std::chrono::steady_clock::now();
  events_.push_back(std::move(event));
  delivering_ = true;
  for (auto& [id, handler] : handlers_) handler(events_.back());
  end_delivery();
}

void TurnStream::end_delivery() {
  delivering_ = false;
  for (auto id : leaving_) handlers_.erase(id);
  if (!leaving_.empty() && handlers_.empty() && !finished_at_)
    abandoned_since_ = std::chrono::steady_clock::now();
  leaving_.clear();
}

void TurnStream::on_start(const TurnStart& start) {
  StreamEvent event;
  event.kind = StreamEvent::Kind::Start;
  event.start = std::make_shared<TurnStart>(start);
  append(std::move(event));
}

void TurnStream::on_text(std::string_view delta) {
  StreamEvent event;
  event.kind = StreamEvent::Kind::Text;
  event.text = std::string(delta);
  append(std::move(event));
}

void TurnStream::on_tool(const ToolActivity& activity) {
  StreamEvent event;
  event.kind = StreamEvent::Kind::Tool;
  event.tool = activity;
  append(std::move(event));
}

void TurnStream::on_end(const TurnResult& result) {
  StreamEvent event;
  event.kind = StreamEvent::Kind::End;
  event.end = std::make_shared<TurnResult>(result);
  append(std::move(event));
}

std::optional<std::pair<std::string, std::uint64_t>> parse_stream_event_id(std::string_view id) {
  auto colon = id.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::uint64_t sequence = 0;
  auto digits = id.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return std::make_pair(std::string(id.substr(0, colon)), sequence);
}

TurnStreams::TurnStreams(TurnStreamSettings settings) : settings_(settings) {}

std::shared_ptr<TurnStream> TurnStreams::begin(const std::string& conversation_id,
                                               std::int64_t user_id,
                                               CancellationToken cancellation) {
  auto stream = std::make_shared<TurnStream>(new_turn_id(), conversation_id, user_id,
                                             std::move(cancellation));
  std::lock_guard lock(mutex_);
  if (by_turn_.size() >= settings_.max_streams) forget_finished();
  by_turn_[stream->turn_id()] = stream;
  latest_by_conversation_[conversation_id] = stream->turn_id();
  return stream;
}

std::shared_ptr<TurnStream> TurnStreams::by_turn(std::string_view turn_id) const {
  std::lock_guard lock(mutex_);
  auto it = by_turn_.find(turn_id);
  return it == by_turn_.end() ? nullptr : it->second;
}

std::shared_ptr<TurnStream> TurnStreams::latest(std::string_view conversation_id) const {
  std::lock_guard lock(mutex_);
  auto it = latest_by_conversation_.find(conversation_id);
  if (it == latest_by_conversation_.end()) return nullptr;
  auto turn = by_turn_.find(it->second);
  return turn == by_turn_.end() ? nullptr : turn->second;
}

std::shared_ptr<TurnStream> TurnStreams::running(std::string_view conversation_id) const {
  auto stream = latest(conversation_id);
  return stream && !stream->finished() ? stream : nullptr;
}

std::size_t TurnStreams::sweep(std::chrono::steady_clock::time_point now) {
  std::vector<std::shared_ptr<TurnStream>> to_cancel;
  {
    std::lock_guard lock(mutex_);
    for (auto it = by_turn_.begin(); it != by_turn_.end();) {
      auto& stream = it->second;
      auto finished = stream->finished_at();
      if (finished && now - *finished > settings_.keep_finished) {
        auto latest = latest_by_conversation_.find(stream->conversation_id());
        if (latest != latest_by_conversation_.end() && latest->second == it->first)
          latest_by_conversation_.erase(latest);
        it = by_turn_.erase(it);
        continue;
      }
      auto abandoned = stream->abandoned_since();
      if (!finished && abandoned && now - *abandoned > settings_.abandon_grace &&
          !stream->cancellation().cancelled())
        to_cancel.push_back(stream);
      ++it;
    }
  }
  for (auto& stream : to_cancel) stream->cancellation().cancel();
  return to_cancel.size();
}

std::size_t TurnStreams::cancel_running() {
  std::vector<std::shared_ptr<TurnStream>> running;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, stream] : by_turn_)
      if (!stream->finished()) running.push_back(stream);
  }
  for (auto& stream : running) stream->cancellation().cancel();
  return running.size();
}

void TurnStreams::forget_finished() {
  // At the bound, finished turns give way to new ones; running turns are never dropped.
  for (auto it = by_turn_.begin(); it != by_turn_.end();) {
    if (!it->second->finished()) {
      ++it;
      continue;
    }
    auto latest = latest_by_conversation_.find(it->second->conversation_id());
    if (latest != latest_by_conversation_.end() && latest->second == it->first)
      latest_by_conversation_.erase(latest);
    it = by_turn_.erase(it);
  }
}

std::size_t TurnStreams::size() const {
  std::lock_guard lock(mutex_);
  return by_turn_.size();
}

}  // namespace companion::core
