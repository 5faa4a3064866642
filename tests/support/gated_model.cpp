#include "support/gated_model.hpp"

#include <boost/json.hpp>

namespace companion::testing {

namespace json = boost::json;

namespace {

std::string chunk(const json::object& delta, const char* finish = nullptr) {
  json::object choice{{"index", 0},
                      {"delta", delta},
                      {"finish_reason", finish ? json::value(finish) : json::value(nullptr)}};
  json::object body{{"id", "chatcmpl-1"},
                    {"object", "chat.completion.chunk"},
                    {"model", "gated"},
                    {"choices", json::array{choice}}};
  return "data: " + json::serialize(body) + "\n\n";
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += w;
  return text;
}

}  // namespace

GatedModel::GatedModel(std::vector<std::string> first, std::vector<std::string> rest)
    : first_(std::move(first)),
      rest_(std::move(rest)),
      server_([this](FakeConnection& c) { serve(c); }) {}

void GatedModel::configure(app::Config& c) const {
  c.llm.openai.base_url = server_.url("/v1");
  c.llm.openai.models = {"gated"};
  c.llm.openai.configured = true;
  c.llm.default_model = "openai/gated";
}

void GatedModel::release() {
  std::lock_guard lock(mutex_);
  released_ = true;
  changed_.notify_all();
}

bool GatedModel::wait_for_hang_up() {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::seconds(10), [this] { return hung_up_; });
}

bool GatedModel::wait_for_request(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, limit, [this] { return requests_ > 0; });
}

std::string GatedModel::full_reply() const {
  return joined(first_) + joined(rest_);
}

std::string GatedModel::first_part() const {
  return joined(first_);
}

bool GatedModel::is_released() {
  std::lock_guard lock(mutex_);
  return released_;
}

void GatedModel::serve(FakeConnection& c) {
  if (c.target() != "/v1/chat/completions") {
    c.send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    return;
  }
  {
    std::lock_guard lock(mutex_);
    ++requests_;
    changed_.notify_all();
  }
  std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n";
  for (const auto& word : first_) head += chunk({{"content", word}});
  c.send(head);
  while (!is_released()) {
    // Polls for the client going away while the reply is held.
    if (c.wait_for_close(std::chrono::milliseconds(20))) {
      std::lock_guard lock(mutex_);
      hung_up_ = true;
      changed_.notify_all();
      return;
    }
  }
  std::string tail;
  for (const auto& word : rest_) tail += chunk({{"content", word}});
  tail += chunk({}, "stop") + "data: [DONE]\n\n";
  c.send(tail);
}

}  // namespace companion::testing
