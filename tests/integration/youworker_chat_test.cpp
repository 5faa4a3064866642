// YouWorker.AI's chat as its clients see it over real sockets: the SSE stream and its
// resumption, the unified endpoint, sessions and their messages, isolation between users,
// and the WebSocket /chat/{session_id} with stop and reconnection. Most tests run on the
// offline engine; the ones that need a reply still being written use a scripted
// OpenAI-compatible model that holds the rest of its reply until the test lets it go.
#include <gtest/gtest.h>

#include <set>
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

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// An API key of a new ordinary user, for the X-API-Key and ?api_key= forms.
std::string user_api_key(TestServer& server, const std::string& username) {
  auto& accounts = *server.app().state().accounts;
  core::NewUser user;
  user.username = username;
  EXPECT_TRUE(accounts.add_user(user, "").ok());
  auto key = accounts.create_api_key(username, "test", {});
  EXPECT_TRUE(key.ok());
  return key.ok() ? key->secret : "";
}

HeaderList api_key(const std::string& key) {
  return {{"X-API-Key", key}};
}

json::object post(HttpClient& client, const std::string& target, const json::object& body,
                  const HeaderList& auth) {
  auto res = client.post_json(target, body, auth);
  EXPECT_EQ(res.status, 200) << target << ": " << res.body;
  if (res.status != 200) return {};
  return res.json().as_object();
}

struct StreamEvent {
  std::string id;
  std::string name;  // token, tool, done, error
  json::object data;
};

std::optional<StreamEvent> next_event(SseClient& sse) {
  auto message = sse.next();
  if (!message) return std::nullopt;
  auto body = json::parse(message->data).as_object();
  return StreamEvent{message->id, text_of(body["event"]), body["data"].as_object()};
}

std::vector<StreamEvent> read_to_end(SseClient& sse) {
  std::vector<StreamEvent> events;
  while (auto event = next_event(sse)) {
    events.push_back(*event);
    if (event->name == "done" || event->name == "error") break;
  }
  return events;
}

std::string tokens_of(const std::vector<StreamEvent>& events) {
  std::string text;
  for (const auto& e : events)
    if (e.name == "token") text += text_of(e.data.at("text"));
  return text;
}

json::object stream_body(const std::string& text, const std::string& session = "") {
  json::object body{{"messages", json::array{json::object{{"role", "user"}, {"content", text}}}}};
  if (!session.empty()) body["session_id"] = session;
  return body;
}

json::object next_frame(WsClient& ws) {
  auto frame = ws.read_json();
  if (!frame || !frame->is_object()) {
    ADD_FAILURE() << "no frame (connection closed with " << ws.close_code() << ")";
    return {};
  }
  return frame->as_object();
}

bool is_final(const json::object& frame) {
  const auto* metadata = frame.if_contains("metadata");
  return frame.at("type") == "text" && metadata && metadata->as_object().contains("is_final");
}

// Reads reply frames up to and including the final text (or an error).
std::vector<json::object> read_reply(WsClient& ws) {
  std::vector<json::object> frames;
  for (;;) {
    json::object frame = next_frame(ws);
    if (frame.empty()) break;
    frames.push_back(frame);
    if (is_final(frame) || frame["type"] == "error") break;
  }
  return frames;
}

std::string streamed_text(const std::vector<json::object>& frames) {
  std::string text;
  for (const auto& f : frames)
    if (f.at("type") == "text" && !is_final(f)) text += text_of(f.at("content"));
  return text;
}

std::string send_text(const std::string& content) {
  return json::serialize(json::object{{"type", "text"}, {"content", content}});
}

}  // namespace

TEST(YouWorkerChat, StreamSendsTokensThenDoneWithTheFinalText) {
  TestServer server;
  HttpClient client(server.port());
  auto key = user_api_key(server, "alice");
  SseClient sse(server.port(), "POST", "/v1/chat/stream",
                json::serialize(stream_body("Hello! How are you today?")), api_key(key));
  ASSERT_EQ(sse.status(), 200);
  auto events = read_to_end(sse);
  ASSERT_GE(events.size(), 2u);
  std::set<std::string> ids;
  for (const auto& e : events) EXPECT_TRUE(ids.insert(e.id).second) << "missing or repeated id";
  EXPECT_FALSE(ids.contains(""));
  auto done = events.back();
  ASSERT_EQ(done.name, "done");
  EXPECT_FALSE(text_of(done.data["final_text"]).empty());
  EXPECT_EQ(tokens_of(events), text_of(done.data["final_text"]));
  std::string session = text_of(done.data["metadata"].at("session_id"));
  EXPECT_FALSE(session.empty());

  // The turn is stored in that session.
  auto messages = client.get("/v1/sessions/" + session + "/messages", api_key(key)).json();
  auto& list = messages.at("messages").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("role"), "user");
  EXPECT_EQ(list[0].at("content"), "Hello! How are you today?");
  EXPECT_EQ(list[1].at("role"), "assistant");
  EXPECT_EQ(list[1].at("content"), done.data["final_text"]);
}

TEST(YouWorkerChat, ToolsTheTurnRunsAreStreamedAsToolEvents) {
  TestServer server;
  auto key = user_api_key(server, "alice");
  SseClient sse(server.port(), "POST", "/v1/chat/stream",
                json::serialize(stream_body("Remember that my favourite colour is green")),
                api_key(key));
  auto events = read_to_end(sse);
  std::vector<StreamEvent> tools;
  for (const auto& e : events)
    if (e.name == "tool") tools.push_back(e);
  ASSERT_GE(tools.size(), 2u) << "no tool events";
  EXPECT_EQ(tools[0].data["status"], "start");
  EXPECT_TRUE(tools[0].data["args"].is_object());
  EXPECT_EQ(tools[1].data["tool"], tools[0].data["tool"]);
  EXPECT_TRUE(tools[1].data["status"] == "end" || tools[1].data["status"] == "error");
  EXPECT_TRUE(tools[1].data["latency_ms"].is_int64());
  EXPECT_EQ(events.back().name, "done");
}

TEST(YouWorkerChat, StreamResumesAfterLastEventIdWithExactlyTheMissedEvents) {
  TestServer server;
  auto key = user_api_key(server, "alice");
  std::string body = json::serialize(stream_body("Tell me something nice about the weekend"));
  SseClient first(server.port(), "POST", "/v1/chat/stream", body, api_key(key));
  auto all = read_to_end(first);
  ASSERT_GE(all.size(), 4u);

  HeaderList resume = api_key(key);
  resume.emplace_back("Last-Event-ID", all[1].id);
  SseClient second(server.port(), "POST", "/v1/chat/stream", body, resume);
  ASSERT_EQ(second.status(), 200);
  auto rest = read_to_end(second);
  ASSERT_EQ(rest.size(), all.size() - 2);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].id, all[i + 2].id);
    EXPECT_EQ(rest[i].name, all[i + 2].name);
    EXPECT_EQ(rest[i].data, all[i + 2].data);
  }
  // The question was not asked again.
  HttpClient client(server.port());
  auto sessions = client.get("/v1/sessions", api_key(key)).json();
  EXPECT_EQ(sessions.at("total"), 1);

  HeaderList unknown = api_key(key);
  unknown.emplace_back("Last-Event-ID", "turn_0000000000000000:2");
  EXPECT_EQ(client.request("POST", "/v1/chat/stream", body, unknown).status, 404);
  auto other = user_api_key(server, "bob");
  HeaderList stolen = api_key(other);
  stolen.emplace_back("Last-Event-ID", all[1].id);
  EXPECT_EQ(client.request("POST", "/v1/chat/stream", body, stolen).status, 404);
}

TEST(YouWorkerChat, StreamResumesAReplyStillBeingWritten) {
  GatedModel model({"The ", "first ", "half "}, {"and ", "the ", "rest."});
  TestServer server([&](app::Config& c) { model.configure(c); });
  auto key = user_api_key(server, "alice");
  std::string body = json::serialize(stream_body("Tell me a story"));
  std::vector<StreamEvent> seen;
  {
    SseClient first(server.port(), "POST", "/v1/chat/stream", body, api_key(key));
    while (tokens_of(seen) != model.first_part()) {
      auto event = next_event(first);
      ASSERT_TRUE(event.has_value());
      seen.push_back(*event);
    }
  }  // the connection drops while the model still writes
  HeaderList resume = api_key(key);
  resume.emplace_back("Last-Event-ID", seen.back().id);
  SseClient second(server.port(), "POST", "/v1/chat/stream", body, resume);
  ASSERT_EQ(second.status(), 200);
  model.release();
  auto rest = read_to_end(second);
  ASSERT_FALSE(rest.empty());
  ASSERT_EQ(rest.back().name, "done");
  std::set<std::string> ids;
  for (const auto& e : seen) ids.insert(e.id);
  for (const auto& e : rest) EXPECT_TRUE(ids.insert(e.id).second) << "repeated " << e.id;
  EXPECT_EQ(tokens_of(seen) + tokens_of(rest), model.full_reply());
  EXPECT_EQ(text_of(rest.back().data["final_text"]), model.full_reply());
  EXPECT_EQ(rest.back().data["metadata"].at("status"), "complete");
}

TEST(YouWorkerChat, UnifiedAnswersTextInputWithTheDocumentedShape) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  auto reply = post(client, "/v1/chat/unified",
                    {{"text_input", "Hello"},
                     {"audio_b64", nullptr},
                     {"session_id", "my-session"},
                     {"enable_tools", true},
                     {"expect_audio", false},
                     {"assistant_language", "it"}},
                    bearer(token));
  EXPECT_FALSE(text_of(reply["content"]).empty());
  EXPECT_TRUE(reply["transcript"].is_null());
  EXPECT_TRUE(reply["audio_b64"].is_null());
  EXPECT_TRUE(reply["tool_events"].is_array());
  EXPECT_EQ(reply["assistant_language"], "it");
  EXPECT_EQ(reply["metadata"].at("session_id"), "my-session");

  auto sessions = client.get("/v1/sessions", bearer(token)).json().as_object();
  EXPECT_EQ(sessions["total"], 1);
  EXPECT_EQ(sessions["limit"], 20);
  EXPECT_EQ(sessions["offset"], 0);
  auto entry = sessions["sessions"].at(0).as_object();
  EXPECT_EQ(entry["external_id"], "my-session");
  EXPECT_EQ(entry["message_count"], 2);
  EXPECT_TRUE(entry["id"].is_int64());
  EXPECT_TRUE(entry["created_at"].is_string());
  EXPECT_TRUE(entry["last_activity"].is_string());
}

TEST(YouWorkerChat, FactToldInOneSessionIsRecalledInAnother) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  post(client, "/v1/chat/unified",
       {{"text_input", "My sister is called Maya"}, {"session_id", "first"}}, bearer(token));
  auto asked =
      post(client, "/v1/chat/unified",
           {{"text_input", "What's my sister's name?"}, {"session_id", "second"}}, bearer(token));
  EXPECT_TRUE(contains(text_of(asked["content"]), "Maya")) << json::serialize(asked);
}

TEST(YouWorkerChat, ValidationErrorsAnswer422WithTheFieldList) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  auto missing =
      client.post_json("/v1/chat/unified", json::object{{"session_id", "s"}}, bearer(token));
  ASSERT_EQ(missing.status, 422) << missing.body;
  auto detail = missing.json().at("detail").as_array();
  ASSERT_FALSE(detail.empty());
  EXPECT_EQ(detail[0].at("loc"), (json::array{"body", "text_input"}));

  auto rate = client.post_json(
      "/v1/chat/unified", json::object{{"text_input", "hi"}, {"sample_rate", 100}}, bearer(token));
  ASSERT_EQ(rate.status, 422) << rate.body;
  EXPECT_EQ(rate.json().at("detail").at(0).at("loc"), (json::array{"body", "sample_rate"}));

  auto no_messages = client.post_json("/v1/chat/stream", json::object{}, bearer(token));
  ASSERT_EQ(no_messages.status, 422) << no_messages.body;
  EXPECT_EQ(no_messages.json().at("detail").at(0).at("loc"), (json::array{"body", "messages"}));
  auto assistant_last = client.post_json(
      "/v1/chat/stream",
      json::object{
          {"messages", json::array{json::object{{"role", "assistant"}, {"content", "hi"}}}}},
      bearer(token));
  EXPECT_EQ(assistant_last.status, 422) << assistant_last.body;

  // Without a credential: 401 in the union error shape.
  auto anonymous = client.post_json("/v1/chat/unified", json::object{{"text_input", "hi"}});
  ASSERT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.json().at("status_code"), 401);
  EXPECT_TRUE(anonymous.json().at("detail").is_string());
  EXPECT_TRUE(client.get("/v1/sessions", bearer(token)).json().at("sessions").as_array().empty());
}

TEST(YouWorkerChat, SessionsListTheirMessagesAndDeleteRemovesThem) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  post(client, "/v1/chat/unified", {{"text_input", "Hello"}, {"session_id", "keep"}},
       bearer(token));
  post(client, "/v1/chat/unified", {{"text_input", "Hello"}, {"session_id", "drop"}},
       bearer(token));
  post(client, "/v1/chat/unified", {{"text_input", "And again"}, {"session_id", "drop"}},
       bearer(token));

  auto messages = client.get("/v1/sessions/drop/messages", bearer(token)).json();
  auto& list = messages.at("messages").as_array();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[2].at("role"), "user");
  EXPECT_EQ(list[2].at("content"), "And again");
  EXPECT_TRUE(list[3].at("id").is_int64());
  EXPECT_TRUE(list[3].at("timestamp").is_string());

  auto deleted = client.request("DELETE", "/v1/sessions/drop", {}, bearer(token));
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.json().at("status"), "success");
  EXPECT_EQ(deleted.json().at("deleted_messages"), 4);
  EXPECT_EQ(client.get("/v1/sessions/drop/messages", bearer(token)).status, 404);
  auto sessions = client.get("/v1/sessions", bearer(token)).json();
  EXPECT_EQ(sessions.at("total"), 1);
  EXPECT_EQ(sessions.at("sessions").at(0).at("external_id"), "keep");
}

TEST(YouWorkerChat, AnotherUsersSessionAnswers404ExactlyLikeAMissingOne) {
  TestServer server;
  HttpClient client(server.port());
  auto alice = bearer(register_user(client, "alice"));
  auto bob = bearer(register_user(client, "bob"));
  post(client, "/v1/chat/unified", {{"text_input", "My secret"}, {"session_id", "alice-s"}}, alice);

  auto theirs = client.get("/v1/sessions/alice-s/messages", bob);
  auto missing = client.get("/v1/sessions/nobody-s/messages", bob);
  EXPECT_EQ(theirs.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(theirs.json().at("detail"), missing.json().at("detail"));
  auto delete_theirs = client.request("DELETE", "/v1/sessions/alice-s", {}, bob);
  auto delete_missing = client.request("DELETE", "/v1/sessions/nobody-s", {}, bob);
  EXPECT_EQ(delete_theirs.status, 404);
  EXPECT_EQ(delete_missing.status, 404);
  EXPECT_EQ(delete_theirs.json().at("detail"), delete_missing.json().at("detail"));
  EXPECT_TRUE(client.get("/v1/sessions", bob).json().at("sessions").as_array().empty());

  // Alice's session is untouched.
  auto kept = client.get("/v1/sessions/alice-s/messages", alice).json();
  EXPECT_EQ(kept.at("messages").as_array().size(), 2u);
}

TEST(YouWorkerChat, WebSocketWelcomesStreamsTheReplyAndAnswersPing) {
  TestServer server;
  auto key = user_api_key(server, "alice");
  WsClient ws(server.port(), "/chat/ws-session?api_key=" + key);
  json::object welcome = next_frame(ws);
  EXPECT_EQ(welcome["type"], "system");
  EXPECT_EQ(welcome["content"], "Connected to chat session");
  EXPECT_TRUE(welcome["timestamp"].is_string());

  ws.send_text(R"({"type":"ping","timestamp":"2025-01-26T15:00:00Z"})");
  json::object pong = next_frame(ws);
  EXPECT_EQ(pong["type"], "pong");
  EXPECT_TRUE(pong["timestamp"].is_string());

  ws.send_text(send_text("Hello, assistant!"));
  auto frames = read_reply(ws);
  ASSERT_GE(frames.size(), 3u);
  EXPECT_EQ(frames.front()["type"], "status");
  EXPECT_EQ(frames.front()["metadata"].at("stage"), "thinking");
  std::set<std::string> ids;
  for (auto& f : frames) {
    EXPECT_TRUE(ids.insert(text_of(f["event_id"])).second) << json::serialize(f);
    EXPECT_TRUE(f["timestamp"].is_string());
  }
  EXPECT_FALSE(ids.contains(""));
  for (std::size_t i = 1; i + 1 < frames.size(); ++i)
    EXPECT_EQ(frames[i]["metadata"].at("is_streaming"), true) << json::serialize(frames[i]);
  auto final_frame = frames.back();
  ASSERT_TRUE(is_final(final_frame));
  EXPECT_EQ(final_frame["metadata"].at("is_final"), true);
  EXPECT_EQ(final_frame["content"], json::value(streamed_text(frames)));

  HttpClient client(server.port());
  auto messages = client.get("/v1/sessions/ws-session/messages", api_key(key)).json();
  EXPECT_EQ(messages.at("messages").at(1).at("content"), final_frame["content"]);
}

TEST(YouWorkerChat, WebSocketShowsToolStartAndEnd) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  WsClient ws(server.port(), "/chat/tools?token=" + token);
  next_frame(ws);
  ws.send_text(send_text("Remember that my favourite colour is green"));
  auto frames = read_reply(ws);
  std::vector<json::object> tools;
  for (const auto& f : frames)
    if (f.at("type") == "tool") tools.push_back(f);
  ASSERT_GE(tools.size(), 2u);
  EXPECT_EQ(tools[0]["metadata"].at("status"), "start");
  EXPECT_TRUE(tools[0]["metadata"].at("args").is_object());
  EXPECT_EQ(tools[1]["content"], tools[0]["content"]);
  EXPECT_TRUE(tools[1]["metadata"].at("status") == "end");
}

TEST(YouWorkerChat, WebSocketRefusesFailedAuthenticationWith1008) {
  TestServer server;
  {
    WsClient ws(server.port(), "/chat/s1?api_key=not-a-key");
    json::object error = next_frame(ws);
    EXPECT_EQ(error["type"], "error");
    EXPECT_TRUE(error["content"].is_string());
    EXPECT_FALSE(ws.read().has_value());
    EXPECT_EQ(ws.close_code(), 1008);
  }
  {
    WsClient ws(server.port(), "/chat/s1");
    EXPECT_EQ(next_frame(ws)["type"], "error");
    EXPECT_FALSE(ws.read().has_value());
    EXPECT_EQ(ws.close_code(), 1008);
  }
  // Another user's session is not joined either.
  HttpClient client(server.port());
  auto alice = register_user(client, "alice");
  auto bob = register_user(client, "bob");
  post(client, "/v1/chat/unified", {{"text_input", "hi"}, {"session_id", "alices"}}, bearer(alice));
  WsClient intruder(server.port(), "/chat/alices?token=" + bob);
  EXPECT_EQ(next_frame(intruder)["type"], "error");
  EXPECT_FALSE(intruder.read().has_value());
  EXPECT_EQ(intruder.close_code(), 1008);
}

TEST(YouWorkerChat, WebSocketBadFramesGetTheDocumentsErrorFrame) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  WsClient ws(server.port(), "/chat/s1?token=" + token);
  next_frame(ws);
  ws.send_text("{not json");
  json::object bad = next_frame(ws);
  EXPECT_EQ(bad["type"], "error");
  EXPECT_EQ(bad["content"], "Invalid message format");
  EXPECT_TRUE(bad["timestamp"].is_string());
  ws.send_text(R"({"type":"text"})");
  EXPECT_EQ(next_frame(ws)["type"], "error");
  ws.send_text(R"({"type":"stop"})");
  EXPECT_EQ(next_frame(ws)["metadata"].at("stage"), "idle");
  ws.send_text(R"({"type":"ping"})");
  EXPECT_EQ(next_frame(ws)["type"], "pong");
  // Nothing was stored.
  EXPECT_EQ(client.get("/v1/sessions/s1/messages", bearer(token)).status, 404);
}

TEST(YouWorkerChat, StopCancelsTheReplyAndStoresItAsInterrupted) {
  GatedModel model({"Once ", "upon ", "a "}, {"time ", "there ", "was."});
  TestServer server([&](app::Config& c) { model.configure(c); });
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  WsClient ws(server.port(), "/chat/story?token=" + token);
  next_frame(ws);
  ws.send_text(send_text("Tell me a story"));
  std::vector<json::object> frames;
  while (streamed_text(frames) != model.first_part()) {
    json::object frame = next_frame(ws);
    ASSERT_FALSE(frame.empty());
    frames.push_back(frame);
  }
  ws.send_text(R"({"type":"stop","timestamp":"2025-01-26T15:00:00Z"})");
  auto rest = read_reply(ws);
  ASSERT_FALSE(rest.empty());
  auto final_frame = rest.back();
  ASSERT_TRUE(is_final(final_frame)) << json::serialize(final_frame);
  EXPECT_EQ(final_frame["metadata"].at("status"), "interrupted");
  EXPECT_EQ(final_frame["content"], json::value(model.first_part()));
  // The provider request was closed, not left to finish.
  EXPECT_TRUE(model.wait_for_hang_up());

  auto messages = client.get("/v1/sessions/story/messages", bearer(token)).json();
  auto& list = messages.at("messages").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].at("role"), "assistant");
  EXPECT_EQ(list[1].at("status"), "interrupted");
  EXPECT_EQ(list[1].at("content"), json::value(model.first_part()));
  model.release();
}

TEST(YouWorkerChat, ReconnectingWhileAReplyStreamsShowsWhatWasMissedThenTheRest) {
  GatedModel model({"The ", "first ", "half "}, {"and ", "the ", "rest."});
  TestServer server([&](app::Config& c) { model.configure(c); });
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  {
    WsClient first(server.port(), "/chat/story?token=" + token);
    next_frame(first);
    first.send_text(send_text("Tell me a story"));
    std::vector<json::object> frames;
    while (streamed_text(frames) != model.first_part()) {
      json::object frame = next_frame(first);
      ASSERT_FALSE(frame.empty());
      frames.push_back(frame);
    }
    first.close();
  }
  WsClient again(server.port(), "/chat/story?token=" + token);
  EXPECT_EQ(next_frame(again)["type"], "system");
  std::vector<json::object> replayed;
  while (streamed_text(replayed) != model.first_part()) {
    json::object frame = next_frame(again);
    ASSERT_FALSE(frame.empty());
    replayed.push_back(frame);
  }
  model.release();
  auto rest = read_reply(again);
  ASSERT_FALSE(rest.empty());
  std::vector<json::object> all = replayed;
  all.insert(all.end(), rest.begin(), rest.end());
  std::set<std::string> ids;
  for (auto& f : all) EXPECT_TRUE(ids.insert(text_of(f["event_id"])).second);
  EXPECT_EQ(streamed_text(all), model.full_reply());
  EXPECT_EQ(all.back()["content"], json::value(model.full_reply()));
  EXPECT_EQ(all.back()["metadata"].at("status"), "complete");
}

TEST(YouWorkerChat, ReconnectingWithLastEventIdReceivesExactlyTheFramesAfterIt) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  std::vector<json::object> frames;
  {
    WsClient first(server.port(), "/chat/s1?token=" + token);
    next_frame(first);
    first.send_text(send_text("Tell me something nice about the weekend"));
    frames = read_reply(first);
  }
  ASSERT_GE(frames.size(), 4u);
  std::string last_seen = text_of(frames[1]["event_id"]);
  WsClient again(server.port(), "/chat/s1?token=" + token + "&last_event_id=" + last_seen);
  EXPECT_EQ(next_frame(again)["type"], "system");
  auto rest = read_reply(again);
  ASSERT_EQ(rest.size(), frames.size() - 2);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i]["event_id"], frames[i + 2]["event_id"]);
    EXPECT_EQ(rest[i]["type"], frames[i + 2]["type"]);
    EXPECT_EQ(rest[i]["content"], frames[i + 2]["content"]);
  }
  // Then the connection is live: a new message gets a new reply.
  again.send_text(send_text("Thanks!"));
  auto next = read_reply(again);
  ASSERT_FALSE(next.empty());
  EXPECT_TRUE(is_final(next.back()));
  EXPECT_NE(next.back()["event_id"], frames.back()["event_id"]);
}
