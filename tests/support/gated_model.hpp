#pragma once
// An OpenAI-compatible model for tests that need a reply still being written: it streams
// the first words of its reply at once and the rest only once the test releases it, and it
// notices when the client hangs up instead.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "support/fake_http_server.hpp"

namespace companion::testing {

class GatedModel {
 public:
  GatedModel(std::vector<std::string> first, std::vector<std::string> rest);

  // Points the server's default model at this one ("openai/gated").
  void configure(app::Config& c) const;
  // Lets every held reply finish.
  void release();
  // Waits until a client hung up while the model was held; false if none did.
  bool wait_for_hang_up();
  // Waits until a request has reached the model; false if none did within the limit.
  bool wait_for_request(std::chrono::milliseconds limit = std::chrono::seconds(10));
  std::string full_reply() const;
  std::string first_part() const;

 private:
  bool is_released();
  void serve(FakeConnection& c);

  std::vector<std::string> first_, rest_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  bool hung_up_ = false;
  int requests_ = 0;
  FakeHttpServer server_;  // last: its thread uses the members above
};

}  // namespace companion::testing
