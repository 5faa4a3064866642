#include "api/coach_ws_connection.hpp"

#include <boost/json.hpp>

#include "http/json_text.hpp"

namespace companion::api {

namespace json = boost::json;

namespace {

constexpr std::size_t max_query_length = 10000;
// Close frames carry at most 123 bytes of reason.
constexpr std::size_t max_close_reason = 120;

std::string_view trimmed(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::optional<std::string> string_field(const json::object& message, std::string_view key) {
  const auto* value = message.if_contains(key);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

}  // namespace

void RefusedCoachConnection::on_open(std::shared_ptr<http::WebSocketPeer> peer) {
  peer->send_text(http::to_json_text(json::object{{"type", "error"}, {"message", message_}}));
  std::string reason = message_.substr(0, max_close_reason);
  // Never cut a UTF-8 sequence in half.
  while (!reason.empty() && reason.size() < message_.size() &&
         (static_cast<unsigned char>(message_[reason.size()]) & 0xC0) == 0x80)
    reason.pop_back();
  peer->close(code_, reason);
}

void CoachConnection::on_open(std::shared_ptr<http::WebSocketPeer> peer) {
  peer_ = std::move(peer);
  send({{"type", "connected"},
        {"bot_id", client_.agent.bot_id},
        {"thread_id", client_.thread_id},
        {"agent", {{"id", client_.agent.row_id}, {"name", client_.agent.name}}},
        {"website_language", client_.website_language}});
}

void CoachConnection::on_text(std::string_view text) {
  if (!gate_.allow()) return;  // above 20 Hz: dropped, as documented
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  const json::string* type = nullptr;
  if (!ec && parsed.is_object()) {
    if (auto* t = parsed.as_object().if_contains("type"); t && t->is_string())
      type = &t->get_string();
  }
  if (!type) {
    send_error("Invalid message: send a JSON object with a \"type\"");
    return;
  }
  dispatch(*type, parsed.as_object());
}

void CoachConnection::on_close(std::uint16_t) {
  // The client left: its reply is cancelled (and stored as interrupted).
  if (run_) run_->supersede();
  run_.reset();
}

void CoachConnection::dispatch(std::string_view type, const json::object& message) {
  if (type == "text_query") {
    start_query(message);
  } else if (type == "ping") {
    send({{"type", "pong"}});
  } else if (type == "stop_audio") {
    stop_reply();
  } else if (type == "mute_audio" || type == "unmute_audio") {
    set_muted(type == "mute_audio");
  } else if (type == "audio_query") {
    send_error(
        "Audio input is not available on this server yet: speech recognition is not set up. "
        "Send your message as a text_query.");
  } else {
    send_error("Unknown message type: " + std::string(type));
  }
}

void CoachConnection::start_query(const json::object& message) {
  auto text = string_field(message, "text");
  if (!text || trimmed(*text).empty()) {
    send_error("A text_query needs a non-empty \"text\"");
    return;
  }
  if (text->size() > max_query_length) {
    send_error("The text is too long (at most " + std::to_string(max_query_length) + " bytes)");
    return;
  }
  if (const auto* mute = message.if_contains("muteAudio"); mute && mute->is_bool())
    muted_ = mute->as_bool();

  auto received = ClientClock::Steady::now();
  ClientClock clock(string_field(message, "local_time"), received);
  send({{"type", "text_query"}, {"text", *text}, {"local_time", clock.at(received)}});

  // One reply at a time: the running one is cancelled (and stored as interrupted).
  if (run_) run_->supersede();
  auto request =
      turn_request_for(client_.user, client_.thread_id, std::string(coach_client_type), *text);
  request.character_id = client_.agent.id;
  request.local_time = clock.at(received);
  auto& chat = *deps_.chat;
  auto run = std::make_shared<CoachRun>(CoachRunSetup{
      peer_, chat.emotions, deps_.slides, deps_.workers, request.cancellation, clock, received});
  bool queued = chat.turns->start_later(
      std::move(request),
      [run](const std::shared_ptr<core::TurnStream>& stream) { run->follow(stream); },
      [run](const core::TurnRefused& refused) { run->refused(refused.what()); });
  if (!queued) {
    run_.reset();
    send_error("Server busy, try again");
    return;
  }
  run_ = std::move(run);
}

void CoachConnection::stop_reply() {
  bool stopped = run_ && run_->stop();
  send({{"type", "stop_audio"}, {"stopped", stopped}});
}

void CoachConnection::set_muted(bool muted) {
  muted_ = muted;
  send({{"type", "audio_muted"}, {"muted", muted_}});
}

void CoachConnection::send(const json::object& frame) {
  if (peer_) peer_->send_text(http::to_json_text(frame));
}

void CoachConnection::send_error(std::string_view message) {
  send({{"type", "error"}, {"message", message}});
}

}  // namespace companion::api
