// AI Coach's realtime socket (/ws/chat/) as a client sees it over real sockets: the close
// codes of every refusal, a reply's frames with the offline engine, one reply at a time,
// stop_audio, mute, ping, the inbound rate limit and slides.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "coach_test_helpers.hpp"
#include "support/fake_http_server.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion;
using namespace companion::testing;
using namespace companion::testing::coach;
namespace json = boost::json;

namespace {

// Connects and returns the close code the server refused with, after checking that the
// refusal came with an error frame.
std::uint16_t refusal_code(TestServer& server, const std::string& target,
                           const HeaderList& headers = {}) {
  WsClient ws(server.port(), target, headers);
  auto frame = next_frame(ws);
  EXPECT_EQ(type_of(frame), "error") << json::serialize(frame);
  EXPECT_TRUE(frame.contains("message"));
  EXPECT_FALSE(ws.read_json());
  return ws.close_code();
}

std::string joined(const std::vector<json::object>& frames, const std::string& separator) {
  std::string out;
  for (const auto& frame : frames) {
    if (!out.empty()) out += separator;
    out += std::string(frame.at("text").as_string());
  }
  return out;
}

// Runs of whitespace as one space, none at the ends.
std::string squeezed(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::size_t index_of(const std::vector<json::object>& frames, const std::string& type) {
  for (std::size_t i = 0; i < frames.size(); ++i)
    if (type_of(frames[i]) == type) return i;
  return frames.size();
}

// Reads frames until every one of the types has been seen.
std::vector<json::object> frames_until_all(WsClient& ws, std::set<std::string> types) {
  std::vector<json::object> frames;
  while (!types.empty()) {
    auto frame = ws.read_json();
    if (!frame || !frame->is_object()) {
      ADD_FAILURE() << "the socket ended before every expected frame";
      break;
    }
    frames.push_back(frame->as_object());
    types.erase(type_of(frames.back()));
  }
  return frames;
}

json::object get_json(HttpClient& http, const std::string& target, const std::string& key) {
  auto res = http.get(target, api_key(key));
  EXPECT_EQ(res.status, 200) << target << ": " << res.body;
  return res.status == 200 ? res.json().as_object() : json::object{};
}

// An OpenAI-compatible endpoint whose first answer stalls after one word until the
// client gives up on it; later answers come at once. It makes a reply that is still
// running when the test acts, with no timing involved.
class StallingEndpoint {
 public:
  StallingEndpoint() : server_([this](FakeConnection& c) { serve(c); }) {}

  void configure(app::Config& config) const {
    config.llm.openai.base_url = server_.url("/v1");
    config.llm.openai.api_key = "sk-test";
    config.llm.openai.models = {"gpt-stall"};
    config.llm.openai.configured = true;
    config.llm.retry_attempts = 1;
  }

 private:
  static std::string chunk(const json::object& delta, const char* finish = nullptr) {
    json::object choice{{"index", 0}, {"delta", delta}};
    choice["finish_reason"] = finish ? json::value(finish) : json::value(nullptr);
    json::object data{{"id", "chatcmpl-1"},
                      {"object", "chat.completion.chunk"},
                      {"model", "gpt-stall"},
                      {"choices", json::array{choice}}};
    return "data: " + json::serialize(data) + "\n\n";
  }

  void serve(FakeConnection& c) {
    int n = ++served_;
    c.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" +
           chunk({{"content", "Thinking "}}));
    if (n == 1) {
      c.wait_for_close();
      return;
    }
    c.send(chunk({{"content", "it over. Here is my answer."}}) + chunk({}, "stop") +
           "data: [DONE]\n\n");
  }

  std::atomic<int> served_{0};
  FakeHttpServer server_;
};

// A user, an agent answered by the stalling endpoint, and a socket to it.
struct StallingCoach {
  StallingEndpoint endpoint;
  TestServer server{[this](app::Config& config) { endpoint.configure(config); }};
  HttpClient http{server.port()};
  std::string key = user_with_key(server, "stella");
  std::string bot_id = create_agent();

  std::string create_agent() {
    auto res = http.post_json("/api/agents/",
                              json::object{{"name", "Slow Coach"}, {"model", "openai/gpt-stall"}},
                              api_key(key));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? std::string(res.json().at("bot_id").as_string()) : "";
  }
};

}  // namespace

TEST(CoachWs, RefusesAMissingOrInvalidKeyWith4403) {
  TestServer server;
  auto bot = built_in_coach(server).bot_id;
  EXPECT_EQ(refusal_code(server, ws_target(bot, thread_id(1), "")), 4403);
  EXPECT_EQ(refusal_code(server, ws_target(bot, thread_id(1), "not-a-real-key")), 4403);
}

TEST(CoachWs, EnforcesTheKeysOriginAllowList) {
  TestServer server;
  core::AllowList allow;
  allow.origins = {"https://app.example.com"};
  auto key = user_with_key(server, "olga", allow);
  auto bot = built_in_coach(server).bot_id;
  auto target = ws_target(bot, thread_id(2), "");
  HeaderList evil = {{"Authorization", "Api-Key " + key}, {"Origin", "https://evil.example.com"}};
  EXPECT_EQ(refusal_code(server, target, evil), 4403);

  HeaderList allowed = {{"Authorization", "Api-Key " + key}, {"Origin", "https://app.example.com"}};
  WsClient ws(server.port(), target, allowed);
  EXPECT_EQ(type_of(next_frame(ws)), "connected");
}

TEST(CoachWs, RefusesMissingParametersWith4000) {
  TestServer server;
  auto key = user_with_key(server, "mia");
  auto bot = built_in_coach(server).bot_id;
  EXPECT_EQ(refusal_code(server, ws_target("", thread_id(3), key)), 4000);
  EXPECT_EQ(refusal_code(server, ws_target(bot, "", key)), 4000);
}

TEST(CoachWs, RefusesUnknownInactiveOrOtherUsersAgentsWith4004) {
  TestServer server;
  auto key = user_with_key(server, "ann");
  auto other_key = user_with_key(server, "ben");
  EXPECT_EQ(
      refusal_code(server, ws_target("6a97a3c4-5d25-47a8-bb31-b6f35c98e6b7", thread_id(4), key)),
      4004);

  core::Character sleepy;
  sleepy.id = "sleepy";
  sleepy.name = "Sleepy";
  sleepy.active = false;
  auto inactive = server.app().state().characters->create(sleepy);
  EXPECT_EQ(refusal_code(server, ws_target(inactive.bot_id, thread_id(4), key)), 4004);

  HttpClient http(server.port());
  auto res =
      http.post_json("/api/agents/", json::object{{"name", "Ben's own"}}, api_key(other_key));
  ASSERT_EQ(res.status, 201) << res.body;
  std::string bens_bot(res.json().at("bot_id").as_string());
  EXPECT_EQ(refusal_code(server, ws_target(bens_bot, thread_id(4), key)), 4004);
}

TEST(CoachWs, RefusesABadThreadIdOrAnotherUsersSessionWith4005) {
  TestServer server;
  auto key = user_with_key(server, "cat");
  auto other_key = user_with_key(server, "dan");
  auto bot = built_in_coach(server).bot_id;
  for (const std::string bad : {"user_ab12cd34ef56gh78", "user_0123", "USER_0123456789abcdef",
                                "user_0123456789ABCDEF", "x_0123456789abcdef"}) {
    EXPECT_EQ(refusal_code(server, ws_target(bot, bad, key)), 4005) << bad;
  }
  {
    WsClient mine(server.port(), ws_target(bot, thread_id(5), key));
    EXPECT_EQ(type_of(next_frame(mine)), "connected");
  }
  EXPECT_EQ(refusal_code(server, ws_target(bot, thread_id(5), other_key)), 4005);
}

TEST(CoachWs, ConnectedNamesTheAgentAndThread) {
  TestServer server;
  auto key = user_with_key(server, "eve");
  auto coach = built_in_coach(server);
  WsClient ws(server.port(), ws_target(coach.bot_id, thread_id(6), key));
  auto connected = next_frame(ws);
  EXPECT_EQ(type_of(connected), "connected");
  EXPECT_EQ(connected["bot_id"], coach.bot_id.c_str());
  EXPECT_EQ(connected["thread_id"], thread_id(6).c_str());
  EXPECT_EQ(connected["agent"].as_object()["name"], "AI Coach");

  // The thread is now one of the user's sessions.
  HttpClient http(server.port());
  auto sessions = get_json(http, "/api/sessions/", key);
  ASSERT_EQ(sessions["count"], 1);
  EXPECT_EQ(sessions["results"].as_array()[0].as_object()["thread_id"], thread_id(6).c_str());
}

TEST(CoachWs, TextQueryStreamsTokensSentencesWithEmotionAndTimings) {
  TestServer server;
  auto key = user_with_key(server, "fay");
  WsClient ws(server.port(), ws_target(built_in_coach(server).bot_id, thread_id(7), key));
  ASSERT_EQ(type_of(next_frame(ws)), "connected");
  send_json(ws, {{"type", "text_query"},
                 {"text", "I'm so happy today! I finally finished my big project."},
                 {"local_time", "2025-10-30 10:00:00"},
                 {"muteAudio", true}});
  auto frames = frames_until(ws, "response_ended");
  ASSERT_FALSE(frames.empty());

  auto echo = frames.front();
  EXPECT_EQ(type_of(echo), "text_query");
  EXPECT_EQ(echo["text"], "I'm so happy today! I finally finished my big project.");
  EXPECT_EQ(echo["local_time"], "2025-10-30 10:00:00");

  auto tokens = of_type(frames, "text_token");
  auto sentences = of_type(frames, "text_sentence");
  ASSERT_GE(tokens.size(), 1u);
  ASSERT_GE(sentences.size(), 1u);
  std::size_t start = index_of(frames, "response_start");
  std::size_t first_token = index_of(frames, "text_token");
  std::size_t done = index_of(frames, "response_done");
  EXPECT_LT(start, first_token);
  EXPECT_LT(first_token, index_of(frames, "text_sentence"));
  EXPECT_EQ(type_of(frames.back()), "response_ended");
  EXPECT_EQ(done, frames.size() - 2);
  for (std::size_t i = done; i < frames.size(); ++i)
    EXPECT_NE(type_of(frames[i]), "text_sentence") << "a sentence after response_done";

  // The tokens are the raw reply; the sentences are the same text, split.
  EXPECT_EQ(squeezed(joined(tokens, "")), squeezed(joined(sentences, " ")));

  bool any_emotion = false;
  for (auto& sentence : sentences) {
    EXPECT_TRUE(std::regex_match(std::string(sentence["local_time"].as_string()),
                                 std::regex("2025-10-30 10:0[0-9]:[0-5][0-9]")))
        << sentence["local_time"];
    auto& items = sentence["emotion"].as_object()["items"].as_array();
    for (auto& item : items) {
      auto& name = item.as_object()["name"].as_string();
      EXPECT_TRUE(std::isupper(static_cast<unsigned char>(name[0]))) << name;
      auto intensity = item.as_object()["intensity"].as_int64();
      EXPECT_GE(intensity, 1);
      EXPECT_LE(intensity, 3);
      any_emotion = true;
    }
  }
  EXPECT_TRUE(any_emotion) << "a cheerful reply to good news carries some emotion";

  auto timings = frames[done]["timings"].as_object();
  for (const char* key : {"prepare_ms", "run_ms", "total_ms", "ws_total_sec"}) {
    ASSERT_TRUE(timings.contains(key)) << key;
    EXPECT_TRUE(timings[key].is_number()) << key;
    EXPECT_GE(timings[key].to_number<double>(), 0) << key;
  }
  EXPECT_GE(timings["total_ms"].to_number<double>(), timings["prepare_ms"].to_number<double>());
  EXPECT_EQ(frames[done]["status"], "complete");

  // The turn is stored as a chat of the session.
  HttpClient http(server.port());
  auto chats = get_json(http, "/api/chats/", key);
  ASSERT_EQ(chats["count"], 1);
  auto chat = chats["results"].as_array()[0].as_object();
  EXPECT_EQ(chat["query"], "I'm so happy today! I finally finished my big project.");
  EXPECT_EQ(squeezed(std::string(chat["response"].as_string())), squeezed(joined(tokens, "")));
  EXPECT_EQ(chat["status"], "complete");
}

TEST(CoachWs, ANewQueryCancelsTheRunningReplyWhichIsStoredAsInterrupted) {
  StallingCoach coach;
  WsClient ws(coach.server.port(), ws_target(coach.bot_id, thread_id(8), coach.key));
  ASSERT_EQ(type_of(next_frame(ws)), "connected");
  send_json(ws, {{"type", "text_query"}, {"text", "Plan my week, please."}});
  auto first = frames_until(ws, "text_token");  // the first reply is now running
  std::string first_turn;
  for (auto& frame : first)
    if (type_of(frame) == "response_start") first_turn = frame["turn_id"].as_string().c_str();
  ASSERT_FALSE(first_turn.empty());

  send_json(ws, {{"type", "text_query"}, {"text", "Actually, plan my day."}});
  auto second = frames_until(ws, "response_ended");
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(type_of(second.front()), "text_query");
  EXPECT_EQ(second.front()["text"], "Actually, plan my day.");
  for (auto& frame : second) {
    if (frame.contains("turn_id")) {
      EXPECT_NE(frame["turn_id"], first_turn.c_str());
    }
  }
  auto done = of_type(second, "response_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]["status"], "complete");
  EXPECT_EQ(squeezed(joined(of_type(second, "text_sentence"), " ")),
            "Thinking it over. Here is my answer.");

  // Both turns are stored; the first as interrupted, with what it had said.
  json::array chats;
  for (int attempt = 0; attempt < 500 && chats.size() < 2; ++attempt) {
    chats = get_json(coach.http, "/api/chats/", coach.key)["results"].as_array();
    if (chats.size() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(chats.size(), 2u);
  EXPECT_EQ(chats[0].as_object()["query"], "Plan my week, please.");
  EXPECT_EQ(chats[0].as_object()["status"], "interrupted");
  EXPECT_EQ(squeezed(std::string(chats[0].as_object()["response"].as_string())), "Thinking");
  EXPECT_EQ(chats[1].as_object()["status"], "complete");
}

TEST(CoachWs, StopAudioCancelsTheRunningReplyAndConfirms) {
  StallingCoach coach;
  WsClient ws(coach.server.port(), ws_target(coach.bot_id, thread_id(9), coach.key));
  ASSERT_EQ(type_of(next_frame(ws)), "connected");
  send_json(ws, {{"type", "text_query"}, {"text", "Tell me a long story."}});
  frames_until(ws, "text_token");
  send_json(ws, {{"type", "stop_audio"}});
  auto frames = frames_until_all(ws, {"stop_audio", "response_ended"});
  auto stop = of_type(frames, "stop_audio");
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_EQ(stop[0]["stopped"], true);
  auto done = of_type(frames, "response_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0]["status"], "interrupted");

  // With nothing running there is nothing to stop, and the answer says so.
  send_json(ws, {{"type", "stop_audio"}});
  auto idle = next_frame(ws);
  EXPECT_EQ(type_of(idle), "stop_audio");
  EXPECT_EQ(idle["stopped"], false);
}

TEST(CoachWs, PingMuteUnmuteAndUnavailableAudio) {
  TestServer server;
  auto key = user_with_key(server, "gus");
  WsClient ws(server.port(), ws_target(built_in_coach(server).bot_id, thread_id(10), key));
  ASSERT_EQ(type_of(next_frame(ws)), "connected");

  send_json(ws, {{"type", "ping"}});
  EXPECT_EQ(type_of(next_frame(ws)), "pong");

  send_json(ws, {{"type", "mute_audio"}});
  auto muted = next_frame(ws);
  EXPECT_EQ(type_of(muted), "audio_muted");
  EXPECT_EQ(muted["muted"], true);
  send_json(ws, {{"type", "unmute_audio"}});
  auto unmuted = next_frame(ws);
  EXPECT_EQ(type_of(unmuted), "audio_muted");
  EXPECT_EQ(unmuted["muted"], false);

  send_json(ws, {{"type", "audio_query"}, {"audio", "UklGRg=="}, {"format", "wav"}});
  auto audio = next_frame(ws);
  EXPECT_EQ(type_of(audio), "error");
  EXPECT_NE(std::string(audio["message"].as_string()).find("not available"), std::string::npos);

  ws.send_text("this is not json");
  EXPECT_EQ(type_of(next_frame(ws)), "error");
  send_json(ws, {{"type", "text_query"}, {"text", "   "}});
  EXPECT_EQ(type_of(next_frame(ws)), "error");
}

TEST(CoachWs, DropsInboundMessagesAboveTwentyPerSecond) {
  TestServer server;
  auto key = user_with_key(server, "hal");
  WsClient ws(server.port(), ws_target(built_in_coach(server).bot_id, thread_id(11), key));
  ASSERT_EQ(type_of(next_frame(ws)), "connected");
  for (int i = 0; i < 100; ++i) send_json(ws, {{"type", "ping"}});

  // The limit lets a message through again once the burst is over: mute_audio, sent a few
  // times well apart, is answered at least once. Frames come in order, so every pong that
  // will ever come arrives before that answer.
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    send_json(ws, {{"type", "mute_audio"}});
  }
  int pongs = 0;
  bool muted = false;
  while (!muted) {
    auto frame = ws.read_json();
    if (!frame) break;
    auto type = type_of(frame->as_object());
    if (type == "pong") ++pongs;
    muted = type == "audio_muted";
  }
  ASSERT_TRUE(muted);
  EXPECT_GE(pongs, 1);
  EXPECT_LT(pongs, 100);
}

TEST(CoachWs, MakeSlidesSendsAnEditorJsDeckAndStoresIt) {
  TestServer server;
  auto key = user_with_key(server, "ida");
  WsClient ws(server.port(), ws_target(built_in_coach(server).bot_id, thread_id(12), key));
  ASSERT_EQ(type_of(next_frame(ws)), "connected");
  send_json(ws, {{"type", "text_query"},
                 {"text", "make slides about time management"},
                 {"local_time", "2025-10-30T09:15:00Z"}});
  auto frames = frames_until(ws, "response_ended");
  auto slides = of_type(frames, "slides_response");
  ASSERT_EQ(slides.size(), 1u);
  EXPECT_LT(index_of(frames, "slides_response"), index_of(frames, "slides_done"));
  EXPECT_LT(index_of(frames, "slides_done"), index_of(frames, "response_ended"));
  EXPECT_TRUE(std::regex_match(std::string(slides[0]["local_time"].as_string()),
                               std::regex("2025-10-30T09:1[5-9]:[0-5][0-9]Z")));
  auto deck = slides[0]["slides"].as_object();
  EXPECT_EQ(deck["title"], "Time Management");
  EXPECT_FALSE(deck["summary"].as_string().empty());
  auto& blocks = deck["editorjs"].as_object()["blocks"].as_array();
  ASSERT_GE(blocks.size(), 4u);
  EXPECT_EQ(blocks[0].as_object()["type"], "header");
  EXPECT_EQ(blocks[0].as_object()["data"].as_object()["text"], "Time Management");
  std::set<std::string> types;
  for (auto& block : blocks) types.insert(std::string(block.as_object().at("type").as_string()));
  EXPECT_TRUE(types.contains("paragraph"));
  EXPECT_TRUE(types.contains("list"));

  HttpClient http(server.port());
  auto listed = get_json(http, "/api/slides/", key);
  ASSERT_EQ(listed["count"], 1);
  auto stored = listed["results"].as_array()[0].as_object();
  EXPECT_EQ(stored["title"], "Time Management");
  EXPECT_EQ(stored["thread_id"], thread_id(12).c_str());
  EXPECT_EQ(stored["editorjs"].as_object()["blocks"].as_array().size(), blocks.size());

  // A follow-up changes the same deck.
  send_json(ws, {{"type", "text_query"}, {"text", "add a slide about saying no to meetings"}});
  auto update = of_type(frames_until(ws, "response_ended"), "slides_response");
  ASSERT_EQ(update.size(), 1u);
  auto changed = update[0]["slides"].as_object();
  EXPECT_EQ(changed["id"], deck["id"]);
  auto& more = changed["editorjs"].as_object()["blocks"].as_array();
  EXPECT_GT(more.size(), blocks.size());
  // The summary under the title follows the deck's new slide count.
  EXPECT_EQ(more[1].as_object()["data"].as_object()["text"], changed["summary"]);
  EXPECT_NE(changed["summary"], deck["summary"]);
  EXPECT_EQ(get_json(http, "/api/slides/", key)["count"], 1);
}
