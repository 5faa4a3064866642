// AI Friend's WebSocket chat, /api/chat/ws/{user_id}?token=<jwt>, as its clients see it over
// real sockets: the documented reply frame, the same conversation as the REST chat, who may
// connect, error frames that leave the socket open, messages answered in order, the opt-in
// token stream, and a client that leaves mid-reply. Most tests run on the offline engine;
// the ones that need a reply still being written use a scripted model that holds the rest
// of its reply until the test lets it go.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "support/api_helpers.hpp"
#include "support/gated_model.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion;
using namespace companion::testing;
namespace json = boost::json;

namespace {

std::string text_of(const json::value* value) {
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

std::string chat_path(const std::string& user, const std::string& token,
                      const std::string& extra = "") {
  return "/api/chat/ws/" + user + "?token=" + token + extra;
}

std::string message(const std::string& text) {
  return json::serialize(json::object{{"message", text}, {"timestamp", "2025-12-06T10:30:00Z"}});
}

json::object next_frame(WsClient& ws) {
  auto frame = ws.read_json();
  if (!frame || !frame->is_object()) {
    ADD_FAILURE() << "no frame (connection closed with " << ws.close_code() << ")";
    return {};
  }
  return frame->as_object();
}

bool is_reply(const json::object& frame) {
  return frame.contains("response");
}

bool is_error(const json::object& frame) {
  return frame.contains("status_code") && frame.contains("detail");
}

std::int64_t status_of(const json::object& frame) {
  const auto* status = frame.if_contains("status_code");
  return status && status->is_int64() ? status->as_int64() : 0;
}

bool is_iso8601_ms(const std::string& text) {
  static const std::regex pattern(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
  return std::regex_match(text, pattern);
}

// The refusal every failed connection gets: the error body, then close code 1008.
void expect_refused(WsClient& ws, int status) {
  json::object error = next_frame(ws);
  EXPECT_EQ(status_of(error), status) << json::serialize(error);
  EXPECT_FALSE(text_of(error.if_contains("detail")).empty());
  EXPECT_FALSE(text_of(error.if_contains("code")).empty());
  EXPECT_FALSE(ws.read().has_value());
  EXPECT_EQ(ws.close_code(), 1008);
}

json::array history_messages(HttpClient& client, const std::string& token) {
  auto res = client.get("/api/chat/history?limit=100", bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  if (res.status != 200) return {};
  auto history = res.json().as_object();
  return history.at("messages").as_array();
}

}  // namespace

TEST(FriendChatWs, AMessageIsAnsweredWithTheDocumentedFrame) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "john_doe");
  WsClient ws(server.port(), chat_path("john_doe", token));
  ws.send_text(message("Hello!"));
  json::object reply = next_frame(ws);
  EXPECT_FALSE(text_of(reply.if_contains("response")).empty()) << json::serialize(reply);
  ASSERT_TRUE(reply.contains("emotion") && reply.at("emotion").is_object());
  auto emotion = reply.at("emotion").as_object();
  EXPECT_FALSE(text_of(emotion.if_contains("primary_emotion")).empty());
  EXPECT_TRUE(emotion.at("confidence").is_number());
  ASSERT_TRUE(reply.at("processing_time").is_number());
  EXPECT_GT(reply.at("processing_time").to_number<double>(), 0.0);
  EXPECT_TRUE(is_iso8601_ms(text_of(reply.if_contains("timestamp")))) << json::serialize(reply);
  auto session = text_of(reply.if_contains("session_id"));
  EXPECT_EQ(session.size(), 36u);  // a UUID, as /api/chat/send's
  EXPECT_FALSE(text_of(reply.if_contains("turn_id")).empty());
  EXPECT_TRUE(reply.at("memories_used").is_int64());
  EXPECT_TRUE(reply.at("facts_remembered").is_array());
  // One message, one frame: nothing else arrives for a client that reads data.response.
  EXPECT_FALSE(ws.read(std::chrono::milliseconds(300)).has_value());

  // The turn is in the conversation the REST chat continues.
  auto messages = history_messages(client, token);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("content"), "Hello!");
  EXPECT_EQ(messages[1].at("content"), reply.at("response"));
  auto rest =
      client.post_json("/api/chat/send", json::object{{"message", "How are you?"}}, bearer(token));
  ASSERT_EQ(rest.status, 200) << rest.body;
  auto rest_reply = rest.json().as_object();
  EXPECT_EQ(text_of(rest_reply.if_contains("session_id")), session);
}

TEST(FriendChatWs, AFactToldOverTheSocketIsRecalledOverRestInANewSession) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "cleo");
  {
    WsClient ws(server.port(), chat_path("cleo", token));
    ws.send_text(message("My sister is called Maya."));
    json::object reply = next_frame(ws);
    ASSERT_TRUE(is_reply(reply)) << json::serialize(reply);
    EXPECT_FALSE(reply.at("facts_remembered").as_array().empty()) << json::serialize(reply);
  }
  auto cleared = client.request("DELETE", "/api/chat/clear", {}, bearer(token));
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  auto res = client.post_json("/api/chat/send",
                              json::object{{"message", "What's my sister's name?"}}, bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  auto reply = res.json().as_object();
  auto text = text_of(reply.if_contains("response"));
  EXPECT_NE(text.find("Maya"), std::string::npos) << text;
}

TEST(FriendChatWs, AConnectionWithoutAValidCredentialIsClosedWith1008) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "amy");
  {
    WsClient ws(server.port(), "/api/chat/ws/amy");
    expect_refused(ws, 401);
  }
  {
    WsClient ws(server.port(), "/api/chat/ws/amy?token=not-a-token");
    expect_refused(ws, 401);
  }
  {
    // A token whose signature was tampered with (not in its last character, whose low bits
    // may be padding).
    std::string forged = token;
    char& c = forged[forged.size() - 5];
    c = c == 'x' ? 'y' : 'x';
    WsClient ws(server.port(), chat_path("amy", forged));
    expect_refused(ws, 401);
  }
  {
    // A token that was logged out no longer opens the socket.
    auto other = client.post_json(
        "/api/auth/login", json::object{{"username", "amy"}, {"password", "SecurePass123!"}});
    ASSERT_EQ(other.status, 200) << other.body;
    auto login = other.json().as_object();
    auto second = text_of(login.if_contains("access_token"));
    ASSERT_EQ(client.request("POST", "/api/auth/logout", {}, bearer(second)).status, 200);
    WsClient ws(server.port(), chat_path("amy", second));
    expect_refused(ws, 401);
  }
  // The other credential forms the platform accepts open it too.
  WsClient with_header(server.port(), "/api/chat/ws/amy", bearer(token));
  with_header.send_text(message("Hello!"));
  EXPECT_TRUE(is_reply(next_frame(with_header)));
  // Nothing was stored for the refused ones.
  EXPECT_EQ(history_messages(client, token).size(), 2u);
}

TEST(FriendChatWs, AUserCannotChatAsAnotherButTheRootKeyMay) {
  TestServer server;
  HttpClient client(server.port());
  auto alice = register_user(client, "alice");
  auto bob = register_user(client, "bob");
  {
    WsClient ws(server.port(), chat_path("bob", alice));
    expect_refused(ws, 403);
  }
  EXPECT_TRUE(history_messages(client, bob).empty());

  WsClient admin(server.port(), "/api/chat/ws/bob?api_key=" + root_key);
  admin.send_text(message("Hello from the admin console"));
  json::object reply = next_frame(admin);
  ASSERT_TRUE(is_reply(reply)) << json::serialize(reply);
  auto messages = history_messages(client, bob);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("content"), "Hello from the admin console");
  EXPECT_TRUE(history_messages(client, alice).empty());
}

TEST(FriendChatWs, TwoQuickMessagesGetTwoRepliesInOrder) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "eli");
  WsClient ws(server.port(), chat_path("eli", token));
  ws.send_text(message("I love hiking in the mountains."));
  ws.send_text(message("What should I cook tonight?"));
  json::object first = next_frame(ws);
  json::object second = next_frame(ws);
  ASSERT_TRUE(is_reply(first) && is_reply(second))
      << json::serialize(first) << json::serialize(second);
  EXPECT_NE(first.at("turn_id"), second.at("turn_id"));
  auto messages = history_messages(client, token);
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].at("content"), "I love hiking in the mountains.");
  EXPECT_EQ(messages[1].at("content"), first.at("response"));
  EXPECT_EQ(messages[2].at("content"), "What should I cook tonight?");
  EXPECT_EQ(messages[3].at("content"), second.at("response"));
}

TEST(FriendChatWs, BadFramesGetAnErrorFrameAndTheSocketGoesOn) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "gus");
  auto other = register_user(client, "hal");
  auto theirs = client.post_json("/api/chat/send", json::object{{"message", "hi"}}, bearer(other));
  ASSERT_EQ(theirs.status, 200);
  auto their_reply = theirs.json().as_object();
  auto their_session = text_of(their_reply.if_contains("session_id"));

  WsClient ws(server.port(), chat_path("gus", token));
  ws.send_text("{not json");
  json::object bad = next_frame(ws);
  EXPECT_EQ(status_of(bad), 422) << json::serialize(bad);
  EXPECT_EQ(bad["code"], "VALIDATION_ERROR");
  EXPECT_TRUE(bad["detail"].is_array());
  EXPECT_TRUE(bad["timestamp"].is_string());

  ws.send_text(R"({"timestamp":"2025-12-06T10:30:00Z"})");
  json::object missing = next_frame(ws);
  ASSERT_EQ(status_of(missing), 422) << json::serialize(missing);
  EXPECT_EQ(missing["detail"].as_array()[0].at("loc").as_array()[1], "message");

  ws.send_text(message(""));
  EXPECT_EQ(status_of(next_frame(ws)), 422);
  ws.send_text(message(std::string(10001, 'a')));
  EXPECT_EQ(status_of(next_frame(ws)), 422);
  ws.send_binary("\x01\x02\x03");
  EXPECT_EQ(status_of(next_frame(ws)), 415);
  // Another user's session is not continued.
  ws.send_text(json::serialize(json::object{{"message", "hi"}, {"session_id", their_session}}));
  json::object hijack = next_frame(ws);
  EXPECT_EQ(status_of(hijack), 403) << json::serialize(hijack);

  ws.send_text(message("Hello after all that"));
  json::object reply = next_frame(ws);
  EXPECT_TRUE(is_reply(reply)) << json::serialize(reply);
  // Only the good message was stored, and nothing in the other user's conversation.
  EXPECT_EQ(history_messages(client, token).size(), 2u);
  EXPECT_EQ(history_messages(client, other).size(), 2u);
}

TEST(FriendChatWs, StreamTrueSendsTheTokensBeforeTheReply) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ivy");
  WsClient ws(server.port(), chat_path("ivy", token, "&stream=true"));
  ws.send_text(message("Tell me about your favourite books"));
  std::string streamed;
  std::vector<std::string> ids;
  json::object frame;
  for (;;) {
    frame = next_frame(ws);
    ASSERT_FALSE(frame.empty());
    if (is_reply(frame)) break;
    ASSERT_EQ(frame["type"], "token") << json::serialize(frame);
    streamed += text_of(frame.if_contains("token"));
    ids.push_back(text_of(frame.if_contains("event_id")));
  }
  EXPECT_GT(ids.size(), 1u);
  for (const auto& id : ids) EXPECT_FALSE(id.empty());
  EXPECT_EQ(streamed, text_of(frame.if_contains("response")));
  EXPECT_FALSE(text_of(frame["emotion"].as_object().if_contains("primary_emotion")).empty());
}

TEST(FriendChatWs, MessagesSentDuringAReplyWaitInOrderAndTheirNumberIsBounded) {
  GatedModel model({"Well ", "now "}, {"then."});
  TestServer server([&](app::Config& c) { model.configure(c); });
  HttpClient client(server.port());
  auto token = register_user(client, "kim");
  WsClient ws(server.port(), chat_path("kim", token));
  ws.send_text(message("message 0"));
  ASSERT_TRUE(model.wait_for_request());
  // Eight may wait behind the reply being written; the ninth is refused.
  for (int i = 1; i <= 9; ++i) ws.send_text(message("message " + std::to_string(i)));
  json::object refused = next_frame(ws);
  EXPECT_EQ(status_of(refused), 429) << json::serialize(refused);
  EXPECT_EQ(refused["code"], "RATE_LIMIT_EXCEEDED");
  model.release();
  std::vector<std::string> turns;
  for (int i = 0; i <= 8; ++i) {
    json::object reply = next_frame(ws);
    ASSERT_TRUE(is_reply(reply)) << json::serialize(reply);
    EXPECT_EQ(reply["response"], json::value(model.full_reply()));
    turns.push_back(text_of(reply.if_contains("turn_id")));
  }
  auto messages = history_messages(client, token);
  ASSERT_EQ(messages.size(), 18u);
  for (int i = 0; i <= 8; ++i)
    EXPECT_EQ(messages[2 * i].at("content"), json::value("message " + std::to_string(i)));
}

TEST(FriendChatWs, AFloodAboveTheInboundLimitIsRefusedWithRateLimitExceeded) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "lou");
  WsClient ws(server.port(), chat_path("lou", token));
  constexpr int flood = 40;
  for (int i = 0; i < flood; ++i) ws.send_text("{}");
  int limited = 0;
  for (int i = 0; i < flood; ++i) {
    json::object frame = next_frame(ws);
    ASSERT_TRUE(is_error(frame)) << json::serialize(frame);
    if (frame["code"] != "RATE_LIMIT_EXCEEDED") continue;
    ++limited;
    EXPECT_EQ(status_of(frame), 429);
    EXPECT_GE(frame["retry_after_seconds"].to_number<std::int64_t>(), 1);
  }
  EXPECT_GT(limited, 0);
  EXPECT_LT(limited, flood);  // a burst within the limit was read
  // Once the flood is over the connection answers again.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ws.send_text(message("Hello again"));
  EXPECT_TRUE(is_reply(next_frame(ws)));
}

TEST(FriendChatWs, AClientThatLeavesMidReplyStopsTheTurnAndTheServerGoesOn) {
  GatedModel model({"Once ", "upon "}, {"a time."});
  TestServer server([&](app::Config& c) {
    model.configure(c);
    c.conversation.abandon_grace_ms = 200;
  });
  HttpClient client(server.port());
  auto token = register_user(client, "max");
  {
    WsClient ws(server.port(), chat_path("max", token));
    ws.send_text(message("Tell me a story"));
    ASSERT_TRUE(model.wait_for_request());
    ws.send_text(message("and another one"));  // waiting: dropped with the connection
  }
  // Nobody follows the reply: after the grace period the model request is closed.
  EXPECT_TRUE(model.wait_for_hang_up());
  json::array messages;
  for (int i = 0; i < 100; ++i) {
    messages = history_messages(client, token);
    if (messages.size() == 2 && messages[1].as_object().contains("status")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].at("status"), "interrupted");

  model.release();
  WsClient again(server.port(), chat_path("max", token));
  again.send_text(message("Are you there?"));
  json::object reply = next_frame(again);
  EXPECT_EQ(reply["response"], json::value(model.full_reply())) << json::serialize(reply);
}

TEST(FriendChatWs, TheSocketIsInTheApiDescription) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.get("/openapi.json");
  ASSERT_EQ(res.status, 200);
  auto doc = res.json().as_object();
  const auto* path = doc.at("paths").as_object().if_contains("/api/chat/ws/{user_id}");
  ASSERT_TRUE(path && path->is_object());
  const auto& operation = path->as_object().at("get").as_object();
  EXPECT_TRUE(operation.at("responses").as_object().contains("101"));
  EXPECT_NE(text_of(operation.if_contains("description")).find("token"), std::string::npos);
}
