// The Voice Assistant WebSocket (/ws), its sessions and the SSE event stream, as a client
// sees them over real sockets.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include <boost/json.hpp>

#include "app/state.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion;
using namespace companion::testing;
namespace json = boost::json;

namespace {

const std::string kRootKey = "root-test-key-0123456789";
const HeaderList kRootHeaders = {{"X-API-Key", kRootKey}};

std::string ws_target(const std::string& user, const std::string& extra = "") {
  return "/ws?api_key=" + kRootKey + "&user_id=" + user + extra;
}

core::EventBus& bus_of(TestServer& server) {
  return *server.app().state().events;
}

core::Event publish(TestServer& server, core::EventType type, const std::string& user,
                    const std::string& session, json::object data = {{"n", 1}}) {
  return bus_of(server).publish(core::NewEvent{type, user, session, std::move(data)});
}

json::object next_frame(WsClient& ws) {
  auto frame = ws.read_json();
  if (!frame || !frame->is_object()) {
    ADD_FAILURE() << "no frame (connection closed with " << ws.close_code() << ")";
    return {};
  }
  return frame->as_object();
}

// Reads the welcome and returns the session id it names.
std::string read_welcome(WsClient& ws) {
  json::object welcome = next_frame(ws);
  EXPECT_EQ(welcome["type"], "connected");
  return welcome.contains("session_id") ? std::string(welcome["session_id"].as_string()) : "";
}

void subscribe(WsClient& ws, const json::array& events) {
  ws.send_text(json::serialize(json::object{{"type", "subscribe"}, {"events", events}}));
  json::object answer = next_frame(ws);
  ASSERT_EQ(answer["type"], "subscribed") << json::serialize(answer);
}

// Waits until the server has noticed that the session's sockets are gone.
void wait_until_disconnected(std::uint16_t port, const std::string& session_id) {
  HttpClient http(port);
  for (int attempt = 0; attempt < 500; ++attempt) {
    auto sessions = http.get("/api/sessions", kRootHeaders).json().at("sessions").as_object();
    auto* entry = sessions.if_contains(session_id);
    if (entry && !entry->at("websocket_connected").as_bool()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "session " << session_id << " still shows a connected socket";
}

// A JWT of a new ordinary (non-admin) user.
std::string user_token(TestServer& server, const std::string& username) {
  auto& accounts = *server.app().state().accounts;
  core::NewUser user;
  user.username = username;
  auto created = accounts.add_user(user, "");
  EXPECT_TRUE(created.ok());
  return created.ok() ? accounts.issue_token(*created, 3600) : "";
}

}  // namespace

TEST(VoiceWs, WelcomeNamesAGeneratedSessionAndTheWiredFeatures) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1", "&client_type=web"));
  json::object welcome = next_frame(ws);
  EXPECT_EQ(welcome["type"], "connected");
  EXPECT_EQ(welcome["user_id"], "user1");
  std::string session_id(welcome["session_id"].as_string());
  EXPECT_TRUE(std::regex_match(session_id, std::regex("user1_[0-9]{8}_[0-9a-f]{8}"))) << session_id;
  EXPECT_TRUE(welcome["timestamp"].is_string());
  json::object features = welcome["features"].as_object();
  EXPECT_EQ(features["events"], true);
  for (const char* name : {"chat", "music", "memory", "rag"}) {
    EXPECT_TRUE(features[name].is_bool()) << name;
  }
}

TEST(VoiceWs, PingIsAnsweredWithPong) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1"));
  read_welcome(ws);
  ws.send_text(R"({"type":"ping"})");
  json::object pong = next_frame(ws);
  EXPECT_EQ(pong["type"], "pong");
  EXPECT_TRUE(pong["timestamp"].is_string());
}

TEST(VoiceWs, SubscribeConfirmsAndUnknownEventNamesAreRefused) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1"));
  read_welcome(ws);
  ws.send_text(
      R"({"type":"subscribe","events":["MESSAGE_RECEIVED","MUSIC_PLAY","MEMORY_STORED"]})");
  json::object answer = next_frame(ws);
  EXPECT_EQ(answer["type"], "subscribed");
  EXPECT_EQ(answer["events"], (json::array{"MESSAGE_RECEIVED", "MUSIC_PLAY", "MEMORY_STORED"}));
  EXPECT_TRUE(answer["timestamp"].is_string());

  ws.send_text(R"({"type":"subscribe","events":["MUSIC_DANCE"]})");
  json::object error = next_frame(ws);
  EXPECT_EQ(error["type"], "error");
  EXPECT_NE(std::string(error["message"].as_string()).find("MUSIC_DANCE"), std::string::npos);
}

TEST(VoiceWs, SessionEventsStayWithTheirUserAndGlobalEventsReachEveryone) {
  TestServer server;
  WsClient alice(server.port(), ws_target("user1"));
  std::string alice_session = read_welcome(alice);
  WsClient bob(server.port(), ws_target("user2"));
  read_welcome(bob);
  subscribe(alice, {"MESSAGE_RECEIVED", "STATUS_UPDATE"});
  subscribe(bob, {"MESSAGE_RECEIVED", "STATUS_UPDATE"});

  core::Event mine = publish(server, core::EventType::MessageReceived, "user1", alice_session,
                             {{"message", "Play jazz music"}, {"intent", "play_music"}});
  json::object frame = next_frame(alice);
  EXPECT_EQ(frame["type"], "event");
  EXPECT_EQ(frame["event_type"], "MESSAGE_RECEIVED");
  EXPECT_EQ(frame["event_id"], json::value(mine.id));
  EXPECT_EQ(frame["session_id"], json::value(alice_session));
  EXPECT_EQ(frame["user_id"], "user1");
  EXPECT_EQ(frame["data"].at("intent"), "play_music");
  EXPECT_TRUE(frame["timestamp"].is_string());

  core::Event status =
      publish(server, core::EventType::StatusUpdate, "", "", {{"status", "ready"}});
  // Bob's first event is the global one: Alice's session event never reached him.
  json::object bob_frame = next_frame(bob);
  EXPECT_EQ(bob_frame["event_type"], "STATUS_UPDATE");
  EXPECT_EQ(bob_frame["event_id"], json::value(status.id));
  EXPECT_EQ(next_frame(alice)["event_id"], json::value(status.id));
}

TEST(VoiceWs, UnsubscribeStopsDeliveryOfThatType) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1"));
  std::string session = read_welcome(ws);
  subscribe(ws, {"MUSIC_PLAY", "MESSAGE_RECEIVED"});
  ws.send_text(R"({"type":"unsubscribe","events":["MUSIC_PLAY"]})");
  json::object answer = next_frame(ws);
  EXPECT_EQ(answer["type"], "unsubscribed");
  EXPECT_EQ(answer["events"], (json::array{"MUSIC_PLAY"}));

  publish(server, core::EventType::MusicPlay, "user1", session);
  core::Event message = publish(server, core::EventType::MessageReceived, "user1", session);
  json::object frame = next_frame(ws);
  EXPECT_EQ(frame["event_type"], "MESSAGE_RECEIVED");
  EXPECT_EQ(frame["event_id"], json::value(message.id));
}

TEST(VoiceWs, BadMessagesGetErrorFramesAndTheSocketStaysOpen) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1"));
  read_welcome(ws);
  ws.send_text("{not json");
  json::object error = next_frame(ws);
  EXPECT_EQ(error["type"], "error");
  EXPECT_EQ(error["message"], "Invalid message format");
  EXPECT_TRUE(error["timestamp"].is_string());

  ws.send_text(R"({"no_type":true})");
  EXPECT_EQ(next_frame(ws)["message"], "Invalid message format");

  ws.send_text(R"({"type":"dance"})");
  EXPECT_EQ(next_frame(ws)["message"], "Unknown message type: dance");

  ws.send_text(R"({"type":"ping"})");
  EXPECT_EQ(next_frame(ws)["type"], "pong");
}

TEST(VoiceWs, WithoutCredentialTheErrorFrameComesThenClose1008) {
  TestServer server;
  WsClient ws(server.port(), "/ws?user_id=user1");
  json::object error = next_frame(ws);
  EXPECT_EQ(error["type"], "error");
  EXPECT_EQ(error["message"], "Authentication required");
  EXPECT_FALSE(ws.read().has_value());
  EXPECT_EQ(ws.close_code(), 1008);
}

TEST(VoiceWs, OrdinaryUserMayNotActForAnotherOrTakeTheirSession) {
  TestServer server;
  std::string token = user_token(server, "alice");

  WsClient bob_owner(server.port(), ws_target("bob"));
  std::string bob_session = read_welcome(bob_owner);

  WsClient as_bob(server.port(), "/ws?token=" + token + "&user_id=bob");
  EXPECT_EQ(next_frame(as_bob)["type"], "error");
  EXPECT_FALSE(as_bob.read().has_value());
  EXPECT_EQ(as_bob.close_code(), 1008);

  WsClient steal(server.port(), "/ws?token=" + token + "&session_id=" + bob_session);
  EXPECT_EQ(next_frame(steal)["message"], "Session belongs to another user");
  EXPECT_FALSE(steal.read().has_value());
  EXPECT_EQ(steal.close_code(), 1008);

  WsClient own(server.port(), "/ws?token=" + token);
  json::object welcome = next_frame(own);
  EXPECT_EQ(welcome["type"], "connected");
  EXPECT_EQ(welcome["user_id"], "alice");
}

TEST(VoiceWs, ReconnectingWithTheSameSessionReplaysWhatWasMissed) {
  TestServer server;
  std::string session;
  {
    WsClient first(server.port(), ws_target("user1"));
    session = read_welcome(first);
    subscribe(first, {"MUSIC_PLAY"});
    core::Event seen = publish(server, core::EventType::MusicPlay, "user1", session);
    EXPECT_EQ(next_frame(first)["event_id"], json::value(seen.id));
    first.close();
  }
  wait_until_disconnected(server.port(), session);
  core::Event missed = publish(server, core::EventType::MusicPlay, "user1", session,
                               {{"action", "play"}, {"song_name", "So What"}});
  publish(server, core::EventType::MessageReceived, "user1", session);  // not subscribed

  WsClient again(server.port(), ws_target("user1", "&session_id=" + session));
  EXPECT_EQ(read_welcome(again), session);
  json::object replayed = next_frame(again);
  EXPECT_EQ(replayed["event_id"], json::value(missed.id));
  EXPECT_EQ(replayed["data"].at("song_name"), "So What");
  core::Event live = publish(server, core::EventType::MusicPlay, "user1", session);
  EXPECT_EQ(next_frame(again)["event_id"], json::value(live.id));
}

TEST(VoiceWs, DeletingTheSessionClosesItsSocket) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1", "&client_type=web"));
  std::string session = read_welcome(ws);

  HttpClient http(server.port());
  auto listed = http.get("/api/sessions", kRootHeaders);
  ASSERT_EQ(listed.status, 200);
  json::object body = listed.json().as_object();
  EXPECT_GE(body["total"].as_int64(), 1);
  json::object entry = body["sessions"].at(session).as_object();
  EXPECT_EQ(entry["user_id"], "user1");
  EXPECT_EQ(entry["client_type"], "web");
  EXPECT_EQ(entry["websocket_connected"], true);
  EXPECT_TRUE(entry["created_at"].is_string());
  EXPECT_TRUE(entry["last_activity"].is_string());

  auto closed = http.request("DELETE", "/api/sessions/" + session, {}, kRootHeaders);
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.json().at("success"), true);
  EXPECT_EQ(closed.json().at("message"), json::value("Session " + session + " closed"));
  EXPECT_FALSE(ws.read().has_value());
  EXPECT_EQ(ws.close_code(), 1000);

  auto again = http.request("DELETE", "/api/sessions/" + session, {}, kRootHeaders);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.json().at("detail"), "Session not found");
  EXPECT_FALSE(
      http.get("/api/sessions", kRootHeaders).json().at("sessions").as_object().contains(session));
}

TEST(VoiceWs, OrdinaryUsersSeeOnlyTheirOwnSessions) {
  TestServer server;
  HeaderList alice_auth = {{"Authorization", "Bearer " + user_token(server, "alice")}};
  WsClient bob(server.port(), ws_target("bob"));
  std::string bob_session = read_welcome(bob);

  HttpClient http(server.port());
  auto listed = http.get("/api/sessions", alice_auth);
  ASSERT_EQ(listed.status, 200);
  EXPECT_FALSE(listed.json().at("sessions").as_object().contains(bob_session));
  EXPECT_EQ(http.request("DELETE", "/api/sessions/" + bob_session, {}, alice_auth).status, 404);
  EXPECT_EQ(http.get("/api/sessions").status, 401);
}

TEST(VoiceWs, EventStatsCountEmittedEventsAndOpenConnections) {
  TestServer server;
  HttpClient http(server.port());
  json::object before = http.get("/api/system/events/stats", kRootHeaders).json().as_object();
  std::int64_t total_before = before["total_events_emitted"].to_number<std::int64_t>();

  WsClient ws(server.port(), ws_target("user1", "&client_type=mobile"));
  std::string session = read_welcome(ws);
  ws.send_text(R"({"type":"ping"})");
  next_frame(ws);  // the connection is fully set up (and announced) once it answers
  publish(server, core::EventType::MessageReceived, "user1", session);
  publish(server, core::EventType::MessageReceived, "user1", session);

  auto res = http.get("/api/system/events/stats", kRootHeaders);
  ASSERT_EQ(res.status, 200);
  json::object stats = res.json().as_object();
  EXPECT_EQ(stats["total_events_emitted"].to_number<std::int64_t>() - total_before, 3);
  EXPECT_EQ(stats["events_by_type"].at("MESSAGE_RECEIVED").to_number<std::int64_t>(), 2);
  EXPECT_EQ(stats["events_by_type"].at("CLIENT_CONNECTED").to_number<std::int64_t>(), 1);
  EXPECT_EQ(stats["active_connections"].to_number<std::int64_t>(), 1);
  json::object entry = stats["active_sessions"].at(session).as_object();
  EXPECT_EQ(entry["user_id"], "user1");
  EXPECT_EQ(entry["client_type"], "mobile");
  EXPECT_EQ(entry["websocket_connected"], true);
}

TEST(EventStream, DeliversSessionEventsAndReplaysAfterLastEventId) {
  TestServer server;
  WsClient ws(server.port(), ws_target("user1"));
  std::string session = read_welcome(ws);
  core::Event seen = publish(server, core::EventType::MessageReceived, "user1", session);
  core::Event missed = publish(server, core::EventType::MusicPlay, "user1", session);
  std::string target = "/api/events/stream?user_id=user1&session_id=" + session;

  core::Event live;
  {
    HeaderList headers = kRootHeaders;
    headers.emplace_back("Last-Event-ID", seen.id);
    SseClient sse(server.port(), "GET", target, {}, headers);
    ASSERT_EQ(sse.status(), 200);
    // The replay comes first, so the stream is subscribed by the time it arrives.
    auto first = sse.next();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->id, missed.id);
    EXPECT_EQ(first->event, "MUSIC_PLAY");
    json::object data = json::parse(first->data).as_object();
    EXPECT_EQ(data["event_id"], json::value(missed.id));
    EXPECT_EQ(data["session_id"], json::value(session));

    live = publish(server, core::EventType::MemoryStored, "user1", session,
                   {{"fact_content", "User enjoys jazz music"}, {"category", "preferences"}});
    auto second = sse.next();
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->id, live.id);
    EXPECT_EQ(second->event, "MEMORY_STORED");
    EXPECT_EQ(json::parse(second->data).at("data").at("category"), "preferences");
  }
  core::Event after = publish(server, core::EventType::MusicStop, "user1", session);

  HeaderList headers = kRootHeaders;
  headers.emplace_back("Last-Event-ID", live.id);
  SseClient resumed(server.port(), "GET", target, {}, headers);
  auto replayed = resumed.next();
  ASSERT_TRUE(replayed.has_value());
  EXPECT_EQ(replayed->id, after.id);
}

TEST(EventStream, RefusesUnknownSessionsAndOtherUsers) {
  TestServer server;
  HttpClient http(server.port());
  EXPECT_EQ(http.get("/api/events/stream?session_id=nope", kRootHeaders).status, 404);
  EXPECT_EQ(http.get("/api/events/stream").status, 401);
  HeaderList alice_auth = {{"Authorization", "Bearer " + user_token(server, "alice")}};
  EXPECT_EQ(http.get("/api/events/stream?user_id=bob", alice_auth).status, 403);
}
