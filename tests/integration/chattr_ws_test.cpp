// Chattr's WebSocket /api/v1/ws/chat as its clients see it over real sockets: the auth
// message first (or a credential on the upgrade), then typing, the response and typing
// again for each message; the document's error codes, the inbound rate limit, and a reply
// that is shown again to a client that comes back while it is being written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "app/state.hpp"
#include "support/api_helpers.hpp"
#include "support/gated_model.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion;
using namespace companion::testing;
namespace json = boost::json;

namespace {

constexpr const char* chat_socket = "/api/v1/ws/chat";

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// An API key of a new ordinary user: the credential the document's clients send.
std::string user_api_key(TestServer& server, const std::string& username) {
  auto& accounts = *server.app().state().accounts;
  core::NewUser user;
  user.username = username;
  EXPECT_TRUE(accounts.add_user(user, "").ok());
  auto key = accounts.create_api_key(username, "test", {});
  EXPECT_TRUE(key.ok());
  return key.ok() ? key->secret : "";
}

std::string auth_frame(const std::string& token, const std::string& session = "") {
  json::object frame{{"type", "auth"}, {"token", token}};
  if (!session.empty()) frame["session_id"] = session;
  return json::serialize(frame);
}

std::string message_frame(const std::string& content, json::object extra = {}) {
  extra["type"] = "message";
  extra["content"] = content;
  return json::serialize(extra);
}

json::object next_frame(WsClient& ws) {
  auto frame = ws.read_json(std::chrono::seconds(10));
  if (!frame || !frame->is_object()) {
    ADD_FAILURE() << "no frame (connection closed with " << ws.close_code() << ")";
    return {};
  }
  return frame->as_object();
}

bool is_typing(const json::object& frame, bool typing) {
  const auto* flag = frame.if_contains("is_typing");
  return text_of(frame.at("type")) == "typing" && flag && flag->as_bool() == typing;
}

// The frames that answer one message: up to typing false, or the lone error of a message
// that was refused before its reply began.
std::vector<json::object> read_reply(WsClient& ws) {
  std::vector<json::object> frames;
  bool started = false;
  for (;;) {
    auto frame = next_frame(ws);
    if (frame.empty()) break;
    frames.push_back(frame);
    if (is_typing(frame, true)) started = true;
    if (is_typing(frame, false)) break;
    if (!started && text_of(frame.at("type")) == "error") break;
  }
  return frames;
}

std::vector<std::string> types_of(const std::vector<json::object>& frames) {
  std::vector<std::string> out;
  for (const auto& f : frames) out.push_back(text_of(f.at("type")));
  return out;
}

const json::object* find_frame(const std::vector<json::object>& frames, const std::string& type) {
  for (const auto& f : frames)
    if (text_of(f.at("type")) == type) return &f;
  return nullptr;
}

// Authenticates with the auth message and returns the session the server confirms.
std::string authenticate(WsClient& ws, const std::string& token, const std::string& session = "") {
  ws.send_text(auth_frame(token, session));
  auto confirmed = next_frame(ws);
  EXPECT_EQ(text_of(confirmed["type"]), "authenticated") << json::serialize(confirmed);
  return text_of(confirmed["session_id"]);
}

void expect_error(const json::object& frame, const std::string& code) {
  EXPECT_EQ(text_of(frame.at("type")), "error") << json::serialize(frame);
  EXPECT_EQ(text_of(frame.at("code")), code) << json::serialize(frame);
  EXPECT_FALSE(text_of(frame.at("message")).empty());
}

}  // namespace

TEST(ChattrWs, AMessageIsAnsweredWithTypingTheResponseAndTypingAgain) {
  TestServer server;
  HttpClient client(server.port());
  auto key = user_api_key(server, "alice");
  WsClient ws(server.port(), chat_socket);
  EXPECT_EQ(authenticate(ws, key, "user-session-123"), "user-session-123");

  ws.send_text(message_frame("Hello there!", {{"character_id", "assistant"}}));
  auto frames = read_reply(ws);
  ASSERT_EQ(types_of(frames), (std::vector<std::string>{"typing", "response", "typing"}));
  EXPECT_TRUE(is_typing(frames[0], true));
  EXPECT_EQ(text_of(frames[0].at("character_id")), "assistant");
  const auto& response = frames[1];
  EXPECT_EQ(text_of(response.at("character_id")), "assistant");
  EXPECT_FALSE(text_of(response.at("content")).empty());
  EXPECT_EQ(text_of(response.at("timestamp")).back(), 'Z');
  EXPECT_TRUE(response.at("media").at("audio_url").is_null());
  EXPECT_TRUE(is_typing(frames[2], false));

  // The turn is in the session's history, as the REST API shows it.
  auto history = client.get("/api/v1/chat/history/user-session-123", {{"X-API-Key", key}});
  ASSERT_EQ(history.status, 200) << history.body;
  auto messages = history.json().at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(text_of(messages[0].at("content")), "Hello there!");
  EXPECT_EQ(text_of(messages[1].at("content")), text_of(response.at("content")));
}

TEST(ChattrWs, AMessageSentRightAfterTheAuthMessageWaitsForIt) {
  TestServer server;
  auto key = user_api_key(server, "bella");
  WsClient ws(server.port(), chat_socket);
  // As the document's example does: no waiting between the two.
  ws.send_text(auth_frame(key, "quick"));
  ws.send_text(message_frame("Hello!"));
  auto confirmed = next_frame(ws);
  EXPECT_EQ(text_of(confirmed["type"]), "authenticated");
  auto frames = read_reply(ws);
  EXPECT_EQ(types_of(frames), (std::vector<std::string>{"typing", "response", "typing"}));
}

TEST(ChattrWs, AnythingBeforeAuthenticationIsRefusedAndTheSocketClosed) {
  TestServer server;
  WsClient ws(server.port(), chat_socket);
  ws.send_text(message_frame("Hello!"));
  expect_error(next_frame(ws), "UNAUTHORIZED");
  EXPECT_FALSE(ws.read(std::chrono::seconds(5)).has_value());
  EXPECT_EQ(ws.close_code(), 1008);
}

TEST(ChattrWs, AFailedAuthenticationIsRefusedAndTheSocketClosed) {
  TestServer server;
  {
    WsClient ws(server.port(), chat_socket);
    ws.send_text(auth_frame("not-a-key", "s1"));
    expect_error(next_frame(ws), "UNAUTHORIZED");
    EXPECT_FALSE(ws.read(std::chrono::seconds(5)).has_value());
    EXPECT_EQ(ws.close_code(), 1008);
  }
  {
    WsClient ws(server.port(), chat_socket);
    ws.send_text(R"({"type": "auth", "session_id": "s1"})");
    expect_error(next_frame(ws), "UNAUTHORIZED");
    EXPECT_FALSE(ws.read(std::chrono::seconds(5)).has_value());
    EXPECT_EQ(ws.close_code(), 1008);
  }
}

TEST(ChattrWs, ACredentialOnTheUpgradeAuthenticatesAtOnce) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "cora");
  {
    WsClient ws(server.port(), std::string(chat_socket) + "?token=" + token + "&session_id=up");
    auto confirmed = next_frame(ws);
    EXPECT_EQ(text_of(confirmed["type"]), "authenticated");
    EXPECT_EQ(text_of(confirmed["session_id"]), "up");
    ws.send_text(message_frame("Hello!"));
    EXPECT_EQ(types_of(read_reply(ws)), (std::vector<std::string>{"typing", "response", "typing"}));
  }
  {
    WsClient ws(server.port(), chat_socket, bearer(token));
    auto confirmed = next_frame(ws);
    EXPECT_EQ(text_of(confirmed["type"]), "authenticated");
    EXPECT_FALSE(text_of(confirmed["session_id"]).empty());  // a new session
  }
  {
    WsClient ws(server.port(), std::string(chat_socket) + "?api_key=not-a-key");
    expect_error(next_frame(ws), "UNAUTHORIZED");
    EXPECT_FALSE(ws.read(std::chrono::seconds(5)).has_value());
    EXPECT_EQ(ws.close_code(), 1008);
  }
}

TEST(ChattrWs, BadMessagesAreInvalidRequestsAndTheSocketGoesOn) {
  TestServer server;
  auto key = user_api_key(server, "dana");
  WsClient ws(server.port(), chat_socket);
  authenticate(ws, key, "s1");
  for (const char* bad :
       {"{not json", "[1, 2, 3]", R"({"content": "no type"})", R"({"type": "dance"})",
        R"({"type": "message"})", R"({"type": "message", "content": "   "})",
        R"({"type": "message", "content": 42})",
        R"({"type": "message", "content": "Hi", "character_id": 7})",
        R"({"type": "message", "content": "Hi", "metadata": "Alice"})"}) {
    ws.send_text(bad);
    auto frame = next_frame(ws);
    expect_error(frame, "INVALID_REQUEST");
  }
  ws.send_text(message_frame("Hello after all that!"));
  EXPECT_EQ(types_of(read_reply(ws)), (std::vector<std::string>{"typing", "response", "typing"}));
}

TEST(ChattrWs, AnUnknownCharacterIsNotFoundAndTheSocketGoesOn) {
  TestServer server;
  auto key = user_api_key(server, "emil");
  WsClient ws(server.port(), chat_socket);
  authenticate(ws, key, "s1");
  ws.send_text(message_frame("Hello!", {{"character_id", "nobody"}}));
  auto refused = read_reply(ws);
  ASSERT_EQ(refused.size(), 1u);
  expect_error(refused[0], "NOT_FOUND");
  ws.send_text(message_frame("Hello!", {{"character_id", "creative"}}));
  auto frames = read_reply(ws);
  ASSERT_EQ(types_of(frames), (std::vector<std::string>{"typing", "response", "typing"}));
  EXPECT_EQ(text_of(frames[1].at("character_id")), "creative");
}

TEST(ChattrWs, AnotherUsersSessionIsForbidden) {
  TestServer server;
  auto alice = user_api_key(server, "alice");
  auto bob = user_api_key(server, "bob");
  {
    WsClient ws(server.port(), chat_socket);
    authenticate(ws, alice, "alices");
    ws.send_text(message_frame("My secret is the blue door."));
    read_reply(ws);
  }
  WsClient ws(server.port(), chat_socket);
  ws.send_text(auth_frame(bob, "alices"));
  expect_error(next_frame(ws), "FORBIDDEN");
  // The socket stays open: Bob may authenticate into a session of his own.
  EXPECT_EQ(authenticate(ws, bob, "bobs"), "bobs");
  ws.send_text(message_frame("Hello!"));
  auto frames = read_reply(ws);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_FALSE(contains(text_of(frames[1].at("content")), "blue door"));
}

TEST(ChattrWs, TooManyMessagesAreRefusedWithRetryAfter) {
  TestServer server([](app::Config& c) { c.websocket_messages_per_second = 1; });
  HttpClient client(server.port());
  auto token = register_user(client, "fay");
  WsClient ws(server.port(), std::string(chat_socket) + "?token=" + token);
  EXPECT_EQ(text_of(next_frame(ws)["type"]), "authenticated");
  for (int i = 0; i < 3; ++i) ws.send_text("{not json");
  std::vector<std::string> codes;
  json::object limited;
  for (int i = 0; i < 3; ++i) {
    auto frame = next_frame(ws);
    codes.push_back(text_of(frame["code"]));
    if (codes.back() == "RATE_LIMIT_EXCEEDED") limited = frame;
  }
  EXPECT_EQ(codes[0], "INVALID_REQUEST");
  EXPECT_EQ(codes[1], "RATE_LIMIT_EXCEEDED");
  ASSERT_FALSE(limited.empty());
  EXPECT_EQ(limited["retry_after_seconds"].as_int64(), 1);
}

TEST(ChattrWs, TheReplysPiecesAreStreamedWhenTheClientAsks) {
  TestServer server;
  auto key = user_api_key(server, "gus");
  WsClient ws(server.port(), chat_socket);
  authenticate(ws, key);
  ws.send_text(message_frame("Tell me about the sea.", {{"metadata", {{"stream", true}}}}));
  auto frames = read_reply(ws);
  ASSERT_GE(frames.size(), 4u);
  EXPECT_TRUE(is_typing(frames.front(), true));
  EXPECT_TRUE(is_typing(frames.back(), false));
  std::string streamed;
  for (std::size_t i = 1; i + 2 < frames.size(); ++i) {
    EXPECT_EQ(text_of(frames[i].at("type")), "token");
    streamed += text_of(frames[i].at("content"));
  }
  const auto& response = frames[frames.size() - 2];
  EXPECT_EQ(text_of(response.at("type")), "response");
  EXPECT_EQ(streamed, text_of(response.at("content")));
}

TEST(ChattrWs, TheUserNameInTheMetadataReachesTheReply) {
  TestServer server;
  auto key = user_api_key(server, "hana");
  WsClient ws(server.port(), chat_socket);
  authenticate(ws, key);
  ws.send_text(message_frame("Hello!", {{"metadata", {{"user_name", "Alice"}}}}));
  auto frames = read_reply(ws);
  const auto* response = find_frame(frames, "response");
  ASSERT_NE(response, nullptr);
  EXPECT_TRUE(contains(text_of(response->at("content")), "Alice"))
      << json::serialize(response->at("content"));
}

TEST(ChattrWs, ComingBackWhileAReplyIsWrittenShowsIt) {
  GatedModel model({"Once ", "upon "}, {"a ", "time."});
  TestServer server([&](app::Config& c) { model.configure(c); });
  auto key = user_api_key(server, "ivan");
  {
    WsClient ws(server.port(), chat_socket);
    authenticate(ws, key, "story");
    ws.send_text(message_frame("Tell me a story."));
    EXPECT_TRUE(is_typing(next_frame(ws), true));
    ASSERT_TRUE(model.wait_for_request());
    // One reply at a time.
    ws.send_text(message_frame("And another one."));
    expect_error(next_frame(ws), "INVALID_REQUEST");
  }
  WsClient again(server.port(), chat_socket);
  authenticate(again, key, "story");
  EXPECT_TRUE(is_typing(next_frame(again), true));
  model.release();
  auto rest = read_reply(again);
  ASSERT_EQ(types_of(rest), (std::vector<std::string>{"response", "typing"}));
  EXPECT_EQ(text_of(rest[0].at("content")), model.full_reply());
  EXPECT_TRUE(is_typing(rest[1], false));
}
