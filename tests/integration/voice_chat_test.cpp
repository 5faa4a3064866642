// The Voice Assistant's chat as its clients see it over real sockets, on the offline engine:
// POST /api/chat, the word-by-word SSE stream and its resumption, the conversation history,
// the /ws "chat" message with its MESSAGE_RECEIVED event, and isolation between users.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "app/state.hpp"
#include "support/api_helpers.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

const HeaderList kRoot = {{"X-API-Key", root_key}};

json::object chat(HttpClient& client, json::object body, const HeaderList& auth = kRoot) {
  auto res = client.post_json("/api/chat", body, auth);
  EXPECT_EQ(res.status, 200) << res.body;
  if (res.status != 200) return {};
  return res.json().as_object();
}

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct WordEvent {
  std::string id;
  json::object data;
};

// Reads the stream to its done event.
std::vector<WordEvent> read_words(SseClient& sse) {
  std::vector<WordEvent> events;
  while (auto message = sse.next()) {
    events.push_back({message->id, json::parse(message->data).as_object()});
    if (events.back().data["done"] == true) break;
  }
  return events;
}

std::string joined_words(const std::vector<WordEvent>& events) {
  std::string text;
  for (const auto& e : events) {
    auto word = text_of(e.data.at("word"));
    if (word.empty()) continue;
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

// Whitespace collapsed to single spaces: how the words of a reply read joined.
std::string collapsed(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string ws_target(const std::string& user) {
  return "/ws?api_key=" + root_key + "&user_id=" + user + "&client_type=web";
}

json::object next_frame(WsClient& ws) {
  auto frame = ws.read_json();
  if (!frame || !frame->is_object()) {
    ADD_FAILURE() << "no frame (connection closed with " << ws.close_code() << ")";
    return {};
  }
  return frame->as_object();
}

std::string open_and_subscribe(WsClient& ws) {
  json::object welcome = next_frame(ws);
  EXPECT_EQ(welcome["type"], "connected");
  EXPECT_EQ(welcome["features"].at("chat"), true);
  ws.send_text(R"({"type":"subscribe","events":["MESSAGE_RECEIVED"]})");
  EXPECT_EQ(next_frame(ws)["type"], "subscribed");
  return text_of(welcome["session_id"]);
}

// Reads frames until both the chat_response and the session's MESSAGE_RECEIVED event came
// (the event is published as the turn is stored, just before the response is sent).
std::pair<json::object, json::object> read_reply_and_event(WsClient& ws) {
  json::object response, event;
  while (response.empty() || event.empty()) {
    json::object frame = next_frame(ws);
    if (frame.empty()) break;
    if (frame["type"] == "chat_response") {
      response = frame;
    } else if (frame["type"] == "event" && frame["event_type"] == "MESSAGE_RECEIVED") {
      event = frame;
    } else {
      ADD_FAILURE() << "unexpected frame " << json::serialize(frame);
    }
  }
  return {response, event};
}

}  // namespace

TEST(VoiceChat, ChatAnswersTheDocumentedShapeInAGeneratedSession) {
  TestServer server;
  HttpClient client(server.port());
  auto reply = chat(
      client, {{"message", "Hello, how are you?"}, {"user_id", "user1"}, {"client_type", "web"}});
  EXPECT_FALSE(text_of(reply["response"]).empty());
  EXPECT_TRUE(reply["intent"].is_string());
  EXPECT_TRUE(reply["confidence"].is_number());
  EXPECT_TRUE(reply["action_executed"].is_null());
  EXPECT_TRUE(reply["action_data"].is_null());
  EXPECT_EQ(reply["memory_stored"], false);
  EXPECT_TRUE(reply["memory_category"].is_null());
  EXPECT_EQ(reply["rag_used"], false);
  EXPECT_GT(reply["duration_ms"].to_number<double>(), 0.0);
  std::string session = text_of(reply["session_id"]);
  EXPECT_TRUE(std::regex_match(session, std::regex("user1_[0-9]{8}_[0-9a-f]{8}"))) << session;
  json::object metadata = reply["metadata"].as_object();
  EXPECT_EQ(metadata["session_id"], json::value(session));
  EXPECT_EQ(metadata["user_id"], "user1");
  EXPECT_EQ(metadata["client_type"], "web");
  EXPECT_TRUE(metadata["timestamp"].is_string());

  // The session continues, and it is the Voice Assistant's session listed in /api/sessions.
  auto again = chat(client, {{"message", "Tell me more"},
                             {"user_id", "user1"},
                             {"session_id", session},
                             {"client_type", "web"}});
  EXPECT_EQ(again["session_id"], json::value(session));
  auto sessions = client.get("/api/sessions?user_id=user1", kRoot).json().at("sessions");
  ASSERT_TRUE(sessions.as_object().contains(session)) << json::serialize(sessions);
  EXPECT_EQ(sessions.at(session).at("client_type"), "web");
}

TEST(VoiceChat, IntentsAreNamedTheDocumentsWay) {
  TestServer server;
  HttpClient client(server.port());
  auto reply = chat(client, {{"message", "Play some jazz music"}, {"user_id", "user1"}});
  EXPECT_EQ(reply["intent"], "play_music");
  EXPECT_GT(reply["confidence"].to_number<double>(), 0.5);
}

TEST(VoiceChat, FactToldInOneSessionIsRecalledInANewOne) {
  TestServer server;
  HttpClient client(server.port());
  auto told = chat(client, {{"message", "My sister is called Maya"}, {"user_id", "user1"}});
  EXPECT_EQ(told["memory_stored"], true) << json::serialize(told);
  EXPECT_TRUE(told["memory_category"].is_string()) << json::serialize(told);

  auto asked = chat(client, {{"message", "What's my sister's name?"}, {"user_id", "user1"}});
  EXPECT_NE(asked["session_id"], told["session_id"]);
  EXPECT_TRUE(contains(text_of(asked["response"]), "Maya")) << json::serialize(asked);

  // Another user was told nothing.
  auto other = chat(client, {{"message", "What's my sister's name?"}, {"user_id", "user2"}});
  EXPECT_FALSE(contains(text_of(other["response"]), "Maya")) << json::serialize(other);
}

TEST(VoiceChat, StreamSendsEachWordThenDoneWithMetadataAndAnIdOnEveryEvent) {
  TestServer server;
  SseClient sse(
      server.port(), "POST", "/api/chat/stream",
      json::serialize(json::object{
          {"message", "Hello, how are you today?"}, {"user_id", "user1"}, {"client_type", "cli"}}),
      kRoot);
  ASSERT_EQ(sse.status(), 200);
  auto events = read_words(sse);
  ASSERT_GE(events.size(), 3u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    EXPECT_EQ(events[i].data["done"], false);
    std::string word = text_of(events[i].data["word"]);
    EXPECT_FALSE(word.empty());
    EXPECT_EQ(word.find(' '), std::string::npos) << word;
    EXPECT_TRUE(ids.insert(events[i].id).second) << "duplicate id " << events[i].id;
  }
  auto& done = events.back();
  EXPECT_EQ(done.data["word"], "");
  EXPECT_TRUE(ids.insert(done.id).second);
  json::object metadata = done.data["metadata"].as_object();
  std::string session = text_of(metadata["session_id"]);
  EXPECT_TRUE(std::regex_match(session, std::regex("user1_[0-9]{8}_[0-9a-f]{8}"))) << session;
  EXPECT_EQ(metadata["user_id"], "user1");
  EXPECT_EQ(metadata["client_type"], "cli");
  EXPECT_TRUE(metadata["timestamp"].is_string());

  // The words are the stored reply's.
  HttpClient client(server.port());
  auto rows = client.get("/api/conversations?user_id=user1&session_id=" + session, kRoot).json();
  ASSERT_EQ(rows.as_array().size(), 1u);
  EXPECT_EQ(joined_words(events), collapsed(text_of(rows.at(0).at("assistant_response"))));
}

TEST(VoiceChat, StreamResumesAfterLastEventIdWithExactlyTheMissedWords) {
  TestServer server;
  std::string body = json::serialize(
      json::object{{"message", "Tell me something nice about the weekend"}, {"user_id", "user1"}});
  SseClient first(server.port(), "POST", "/api/chat/stream", body, kRoot);
  auto all = read_words(first);
  ASSERT_GE(all.size(), 4u);

  // The client lost the connection after the second word: it POSTs again with the id of
  // the last event it saw and receives the rest of the same reply, not a new one.
  HeaderList resume = kRoot;
  resume.emplace_back("Last-Event-ID", all[1].id);
  SseClient second(server.port(), "POST", "/api/chat/stream", body, resume);
  ASSERT_EQ(second.status(), 200);
  auto rest = read_words(second);
  ASSERT_EQ(rest.size(), all.size() - 2);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].id, all[i + 2].id);
    EXPECT_EQ(rest[i].data["word"], all[i + 2].data["word"]);
    EXPECT_EQ(rest[i].data["done"], all[i + 2].data["done"]);
  }
  EXPECT_EQ(rest.back().data["metadata"].at("session_id"),
            all.back().data["metadata"].at("session_id"));

  // Nothing was asked twice.
  HttpClient client(server.port());
  EXPECT_EQ(client.get("/api/conversations?user_id=user1", kRoot).json().as_array().size(), 1u);

  // An id nobody knows, and one of another user's reply, resume nothing.
  HeaderList unknown = kRoot;
  unknown.emplace_back("Last-Event-ID", "turn_0000000000000000:3");
  EXPECT_EQ(client.request("POST", "/api/chat/stream", body, unknown).status, 404);
  auto token = register_user(client, "mallory");
  HeaderList stolen = bearer(token);
  stolen.emplace_back("Last-Event-ID", all[1].id);
  auto refused = client.request("POST", "/api/chat/stream",
                                json::serialize(json::object{{"message", "hi"}}), stolen);
  EXPECT_EQ(refused.status, 404) << refused.body;
}

TEST(VoiceChat, ConversationsListTheCallersTurnsOnly) {
  TestServer server;
  HttpClient client(server.port());
  auto alice = bearer(register_user(client, "alice"));
  auto bob = bearer(register_user(client, "bob"));
  auto first = chat(client, {{"message", "Play jazz music"}}, alice);
  std::string session = text_of(first["session_id"]);
  EXPECT_TRUE(std::regex_match(session, std::regex("alice_[0-9]{8}_[0-9a-f]{8}"))) << session;
  chat(client, {{"message", "Thanks, that was lovely"}, {"session_id", session}}, alice);
  chat(client, {{"message", "Good morning"}}, alice);

  auto rows = client.get("/api/conversations", alice).json().as_array();
  ASSERT_EQ(rows.size(), 3u);
  // Newest first; the session's turns are numbered in order.
  EXPECT_EQ(rows[0].at("user_input"), "Good morning");
  EXPECT_EQ(rows[0].at("turn_no"), 1);
  EXPECT_EQ(rows[1].at("user_input"), "Thanks, that was lovely");
  EXPECT_EQ(rows[1].at("turn_no"), 2);
  EXPECT_EQ(rows[1].at("session_id"), json::value(session));
  json::object oldest = rows[2].as_object();
  EXPECT_EQ(oldest["turn_no"], 1);
  EXPECT_EQ(oldest["user_input"], "Play jazz music");
  EXPECT_EQ(oldest["assistant_response"], first["response"]);
  EXPECT_EQ(oldest["intent_type"], "play_music");
  EXPECT_TRUE(oldest["id"].is_int64());
  EXPECT_TRUE(oldest["timestamp"].is_string());

  auto limited = client.get("/api/conversations?limit=1&session_id=" + session, alice).json();
  ASSERT_EQ(limited.as_array().size(), 1u);
  EXPECT_EQ(limited.at(0).at("turn_no"), 2);

  // Bob sees none of it, cannot name Alice, and cannot continue her session.
  EXPECT_TRUE(client.get("/api/conversations", bob).json().as_array().empty());
  EXPECT_TRUE(
      client.get("/api/conversations?session_id=" + session, bob).json().as_array().empty());
  EXPECT_EQ(client.get("/api/conversations?user_id=alice", bob).status, 403);
  auto intrude =
      client.post_json("/api/chat", json::object{{"message", "hi"}, {"session_id", session}}, bob);
  EXPECT_EQ(intrude.status, 403) << intrude.body;
  EXPECT_EQ(client.get("/api/conversations", alice).json().as_array().size(), 3u);
}

TEST(VoiceChat, BadRequestsAnswer422WithTheFieldList) {
  TestServer server;
  HttpClient client(server.port());
  auto missing = client.post_json("/api/chat", json::object{{"user_id", "user1"}}, kRoot);
  ASSERT_EQ(missing.status, 422) << missing.body;
  auto detail = missing.json().at("detail").as_array();
  ASSERT_FALSE(detail.empty());
  EXPECT_EQ(detail[0].at("loc"), (json::array{"body", "message"}));
  EXPECT_TRUE(detail[0].at("msg").is_string());
  EXPECT_TRUE(detail[0].at("type").is_string());

  auto blank =
      client.post_json("/api/chat", json::object{{"message", "   "}, {"user_id", "user1"}}, kRoot);
  EXPECT_EQ(blank.status, 422) << blank.body;
  auto bad_session = client.post_json(
      "/api/chat", json::object{{"message", "hi"}, {"user_id", "user1"}, {"session_id", "a b/c"}},
      kRoot);
  EXPECT_EQ(bad_session.status, 422) << bad_session.body;
  auto stream = client.post_json("/api/chat/stream", json::object{{"user_id", "user1"}}, kRoot);
  EXPECT_EQ(stream.status, 422) << stream.body;
  // Nothing was stored for any of them.
  EXPECT_TRUE(client.get("/api/conversations?user_id=user1", kRoot).json().as_array().empty());
}

TEST(VoiceChat, WebSocketChatAnswersChatResponseAndTheSessionSeesMessageReceived) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1"));
  std::string session = open_and_subscribe(ws);
  ws.send_text(R"({"type":"chat","message":"Play some jazz music"})");
  auto [response, event] = read_reply_and_event(ws);
  EXPECT_FALSE(text_of(response["response"]).empty());
  EXPECT_EQ(response["intent"], "play_music");
  EXPECT_TRUE(response.contains("action_data"));
  EXPECT_TRUE(response["timestamp"].is_string());
  EXPECT_EQ(event["session_id"], json::value(session));
  EXPECT_EQ(event["user_id"], "user1");
  EXPECT_EQ(event["data"].at("message"), "Play some jazz music");
  EXPECT_EQ(event["data"].at("response"), response["response"]);
  EXPECT_EQ(event["data"].at("intent"), "play_music");  // as the document spells it

  // A REST chat in the same session is the same conversation: the socket hears it too.
  HttpClient client(server.port());
  auto reply =
      chat(client, {{"message", "Good evening"}, {"user_id", "user1"}, {"session_id", session}});
  json::object heard = next_frame(ws);
  EXPECT_EQ(heard["event_type"], "MESSAGE_RECEIVED");
  EXPECT_EQ(heard["data"].at("response"), reply["response"]);
  auto rows = client.get("/api/conversations?user_id=user1&session_id=" + session, kRoot).json();
  EXPECT_EQ(rows.as_array().size(), 2u);
}

TEST(VoiceChat, WebSocketChatOfAnOrdinaryUserRunsInTheirOwnSession) {
  TestServer server;
  HttpClient client(server.port());
  std::string token = register_user(client, "carol");
  WsClient ws(server.port(), "/ws?token=" + token);
  std::string session = open_and_subscribe(ws);
  ws.send_text(R"({"type":"chat","message":"My sister is called Maya"})");
  auto [response, event] = read_reply_and_event(ws);
  EXPECT_EQ(event["user_id"], "carol");
  ws.send_text(R"({"type":"chat","message":"What's my sister's name?"})");
  auto [answer, second_event] = read_reply_and_event(ws);
  EXPECT_TRUE(contains(text_of(answer["response"]), "Maya")) << json::serialize(answer);
  auto rows = client.get("/api/conversations?session_id=" + session, bearer(token)).json();
  EXPECT_EQ(rows.as_array().size(), 2u);
}

TEST(VoiceChat, AnotherUsersSocketSeesNoMessageReceivedOfTheFirst) {
  TestServer server;
  WsClient alice(server.port(), ws_target("alice"));
  open_and_subscribe(alice);
  WsClient bob(server.port(), ws_target("bob"));
  std::string bob_session = open_and_subscribe(bob);

  alice.send_text(R"({"type":"chat","message":"My secret is pistachio ice cream"})");
  read_reply_and_event(alice);
  // Alice's event was published before Bob says anything: had it reached Bob, it would
  // come before his own.
  bob.send_text(R"({"type":"chat","message":"Hello there"})");
  auto [response, event] = read_reply_and_event(bob);
  EXPECT_EQ(event["session_id"], json::value(bob_session));
  EXPECT_EQ(event["user_id"], "bob");
  EXPECT_EQ(event["data"].at("message"), "Hello there");
}

TEST(VoiceChat, WebSocketChatErrorsUseTheDocumentsErrorFrame) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1"));
  open_and_subscribe(ws);
  ws.send_text(R"({"type":"chat"})");
  json::object missing = next_frame(ws);
  EXPECT_EQ(missing["type"], "error");
  EXPECT_EQ(missing["message"], "Message must not be empty");
  EXPECT_TRUE(missing["timestamp"].is_string());

  ws.send_text("{not json");
  json::object bad = next_frame(ws);
  EXPECT_EQ(bad["type"], "error");
  EXPECT_EQ(bad["message"], "Invalid message format");

  // The socket still chats.
  ws.send_text(R"({"type":"chat","message":"Hello"})");
  auto [response, event] = read_reply_and_event(ws);
  EXPECT_FALSE(text_of(response["response"]).empty());
}
