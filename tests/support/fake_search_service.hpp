#pragma once
// A search service on loopback for the search adapters' tests: it answers each request with
// the bytes `answer` returns for it and remembers what it was asked (target and headers), so
// a test can check both what the adapter read and what it sent.
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "support/fake_http_server.hpp"

namespace companion::testing {

struct SeenRequest {
  std::string method;
  std::string target;
  std::string user_agent;
  std::string accept;
};

// A whole HTTP/1.1 response carrying `body` as JSON.
inline std::string json_response(std::string_view body, int status = 200,
                                 std::string_view reason = "OK") {
  return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
         "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + std::string(body);
}

class FakeSearchService {
 public:
  using Answer = std::function<std::string(const std::string& target)>;

  explicit FakeSearchService(Answer answer)
      : answer_(std::move(answer)), server_([this](FakeConnection& c) { serve(c); }) {}

  std::string url(std::string_view path) const { return server_.url(path); }

  std::vector<SeenRequest> requests() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  void serve(FakeConnection& c) {
    {
      std::lock_guard lock(mutex_);
      seen_.push_back({c.method(), c.target(), c.header("user-agent"), c.header("accept")});
    }
    c.send(answer_(c.target()));
  }

  Answer answer_;
  mutable std::mutex mutex_;
  std::vector<SeenRequest> seen_;
  FakeHttpServer server_;  // last: its thread uses the members above
};

}  // namespace companion::testing
