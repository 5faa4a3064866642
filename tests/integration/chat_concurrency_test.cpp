// A chat request that runs a whole turn holds a thread for as long as the model writes.
// Such requests run on the turns' own pool, so that the server's few workers stay free for
// the short requests of every other client.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "app/config.hpp"
#include "support/api_helpers.hpp"
#include "support/gated_model.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion;
using namespace companion::testing;
namespace json = boost::json;

TEST(ChatConcurrency, ShortRequestsAnswerWhileWholeTurnsAreRunning) {
  GatedModel model({"Let ", "me ", "think "}, {"about ", "that."});
  TestServer server([&](app::Config& c) {
    model.configure(c);
    c.worker_threads = 1;  // a turn held on the only worker would stall everyone else
  });
  HttpClient client(server.port());
  auto token = register_user(client, "alice");

  std::atomic<bool> turn_answered = false;
  HttpResult turn;
  std::thread chatting([&] {
    HttpClient own(server.port());
    turn = own.post_json("/api/chat/send", json::object{{"message", "What do you think?"}},
                         bearer(token));
    turn_answered = true;
  });
  ASSERT_TRUE(model.wait_for_request());
  // If the short request could not be served while the model holds its reply, the
  // watchdog's release is what would let it through, and the check below fails.
  std::thread watchdog([&] {
    std::this_thread::sleep_for(std::chrono::seconds(5));
    model.release();
  });

  auto history = client.get("/api/chat/history", bearer(token));
  bool answered_while_turn_ran = !turn_answered;
  auto persona = client.get("/api/persona/get", bearer(token));
  EXPECT_EQ(history.status, 200);
  EXPECT_EQ(persona.status, 200);
  EXPECT_TRUE(answered_while_turn_ran);

  model.release();
  chatting.join();
  watchdog.join();
  ASSERT_EQ(turn.status, 200) << turn.body;
  auto reply = turn.json();
  EXPECT_EQ(reply.at("response"), json::value(model.full_reply()));
}
