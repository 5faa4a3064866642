// AI Friend's chat, persona and agents, and the OpenAI-compatible chat surface, as clients
// see them over real sockets with the built-in offline engine.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/api_helpers.hpp"
#include "support/http_client.hpp"
#include "support/pdf_writer.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

json::object send(HttpClient& client, const std::string& token, const std::string& message,
                  json::object extra = {}) {
  extra["message"] = message;
  auto res = client.post_json("/api/chat/send", extra, bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.status == 200 ? res.json().as_object() : json::object{};
}

std::string text_of(const json::object& reply) {
  const auto* r = reply.if_contains("response");
  return r && r->is_string() ? std::string(r->as_string()) : std::string();
}

// Reads a whole AI Friend stream: the message pieces, joined, and whether it ended with done.
struct StreamRead {
  std::string text;
  std::vector<SseMessage> events;
  bool done = false;
};
StreamRead read_stream(SseClient& sse, std::size_t max_events = 10000) {
  StreamRead out;
  while (out.events.size() < max_events) {
    auto event = sse.next();
    if (!event) break;
    out.events.push_back(*event);
    if (event->event == "message") out.text += event->data;
    if (event->event == "done") {
      out.done = event->data == "complete";
      break;
    }
  }
  return out;
}

}  // namespace

TEST(FriendChat, SendAnswersWithMeasuredEmotionAndSession) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "amy");
  auto reply = send(client, token, "I'm feeling great today! I got the job!");
  EXPECT_FALSE(text_of(reply).empty());
  const auto& emotion = reply.at("emotion").as_object();
  EXPECT_EQ(emotion.at("primary_emotion").as_string(), "joy");
  EXPECT_GT(emotion.at("sentiment_score").to_number<double>(), 0.0);
  EXPECT_TRUE(emotion.at("all_emotions").is_object());
  EXPECT_GT(reply.at("processing_time").to_number<double>(), 0.0);
  auto session = std::string(reply.at("session_id").as_string());
  EXPECT_EQ(session.size(), 36u);  // a UUID
  // The same session continues until cleared.
  auto second = send(client, token, "Tell me something nice.");
  EXPECT_EQ(second.at("session_id").as_string(), session);
}

TEST(FriendChat, MissingMessageIsAValidationError) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "bo");
  auto res =
      client.post_json("/api/chat/send", json::object{{"context", json::object{}}}, bearer(token));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.json().at("detail").as_array()[0].at("loc").as_array()[1].as_string(), "message");
  auto anonymous = client.post_json("/api/chat/send", json::object{{"message", "hi"}});
  EXPECT_EQ(anonymous.status, 401);
}

TEST(FriendChat, AFactToldInOneSessionIsRecalledInTheNext) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "cleo");
  send(client, token, "My sister is called Maya.");
  auto cleared = client.request("DELETE", "/api/chat/clear", {}, bearer(token));
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  auto fresh = std::string(cleared.json().at("new_session_id").as_string());
  auto reply = send(client, token, "What's my sister's name?");
  EXPECT_EQ(reply.at("session_id").as_string(), fresh);
  EXPECT_NE(text_of(reply).find("Maya"), std::string::npos) << text_of(reply);
  // Another user was told nothing.
  auto other = register_user(client, "dora");
  auto theirs = send(client, other, "What's my sister's name?");
  EXPECT_EQ(text_of(theirs).find("Maya"), std::string::npos) << text_of(theirs);
}

TEST(FriendChat, HistoryListsTheTurnsInOrderAndIsPrivate) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "eli");
  auto first = send(client, token, "Hello there!");
  send(client, token, "I love hiking in the mountains.");
  auto res = client.get("/api/chat/history?limit=10", bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  auto history = res.json().as_object();
  EXPECT_EQ(history.at("user_id").as_string(), "eli");
  EXPECT_GT(history.at("conversation_id").as_int64(), 0);
  EXPECT_EQ(history.at("stats").at("message_count").as_int64(), 4);
  EXPECT_GT(history.at("stats").at("avg_processing_time").to_number<double>(), 0.0);
  const auto& messages = history.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].at("role").as_string(), "user");
  EXPECT_EQ(messages[0].at("content").as_string(), "Hello there!");
  EXPECT_EQ(messages[1].at("role").as_string(), "assistant");
  EXPECT_EQ(messages[1].at("content").as_string(), text_of(first));
  EXPECT_EQ(messages[3].at("role").as_string(), "assistant");

  auto other = register_user(client, "fay");
  auto session = std::string(first.at("session_id").as_string());
  auto peek = client.get("/api/chat/history?session_id=" + session, bearer(other));
  EXPECT_EQ(peek.status, 404);
  auto hijack = client.post_json(
      "/api/chat/send", json::object{{"message", "hi"}, {"session_id", session}}, bearer(other));
  EXPECT_EQ(hijack.status, 403);
}

TEST(FriendChat, StreamSendsTheReplyWordByWordThenDone) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "gus");
  SseClient sse(server.port(), "GET", "/api/chat/stream?message=Hello%20friend", {}, bearer(token));
  ASSERT_EQ(sse.status(), 200);
  auto read = read_stream(sse);
  EXPECT_TRUE(read.done);
  EXPECT_GT(read.events.size(), 3u);
  for (const auto& e : read.events) EXPECT_FALSE(e.id.empty());
  auto history = client.get("/api/chat/history", bearer(token)).json();
  const auto& messages = history.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].at("content").as_string(), read.text);
}

TEST(FriendChat, AReconnectingStreamResumesWhereItStopped) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "hal");
  std::string seen;
  std::string last_id;
  {
    SseClient sse(server.port(), "GET",
                  "/api/chat/stream?message=Tell%20me%20about%20your%20favourite%20books", {},
                  bearer(token));
    ASSERT_EQ(sse.status(), 200);
    for (int i = 0; i < 2; ++i) {
      auto event = sse.next();
      ASSERT_TRUE(event);
      ASSERT_EQ(event->event, "message");
      seen += event->data;
      last_id = event->id;
    }
  }  // the connection drops mid-reply
  auto headers = bearer(token);
  headers.emplace_back("Last-Event-ID", last_id);
  SseClient again(server.port(), "GET",
                  "/api/chat/stream?message=Tell%20me%20about%20your%20favourite%20books", {},
                  headers);
  auto rest = read_stream(again);
  EXPECT_TRUE(rest.done);
  auto history = client.get("/api/chat/history", bearer(token)).json();
  const auto& messages = history.at("messages").as_array();
  // One question asked once, answered once: nothing lost, nothing repeated.
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(seen + rest.text, std::string(messages[1].at("content").as_string()));
}

TEST(FriendChat, AnUploadedPdfIsAnsweredFromWithItsSource) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ivy");
  auto pdf = make_pdf({"Welcome to the Riverside Cafe staff handbook. Please read it carefully.",
                       "Opening hours. The cafe opens at 7 am on weekdays and closes at 6 pm. "
                       "The espresso machine is descaled every Thursday by the morning shift."});
  auto upload = post_form(client, "/api/rag/upload", token,
                          {{"file", pdf, "handbook.pdf", "application/pdf"}});
  ASSERT_EQ(upload.status, 200) << upload.body;
  auto reply =
      send(client, token, "According to my documents, when is the espresso machine descaled?");
  auto text = text_of(reply);
  EXPECT_NE(text.find("Thursday"), std::string::npos) << text;
  EXPECT_NE(text.find("handbook.pdf"), std::string::npos) << text;
  ASSERT_FALSE(reply.at("sources").as_array().empty());
  EXPECT_EQ(reply.at("sources").as_array()[0].at("page").as_int64(), 2);
}

TEST(Persona, AnUpdateChangesOnlyThatUsersCompanion) {
  TestServer server;
  HttpClient client(server.port());
  auto ann = register_user(client, "ann");
  auto ben = register_user(client, "ben");
  auto before = client.get("/api/persona/get", bearer(ann));
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json().at("name").as_string(), "Friend");
  auto update = client.post_json(
      "/api/persona/update",
      json::object{{"name", "Sage"},
                   {"personality_traits", json::object{{"humor", 0.2}, {"formality", 0.8}}},
                   {"speaking_style", "thoughtful"}},
      bearer(ann));
  ASSERT_EQ(update.status, 200) << update.body;
  auto updated = update.json();
  EXPECT_EQ(updated.at("message").as_string(), "Persona updated successfully");
  EXPECT_TRUE(updated.at("changes_applied").as_bool());
  const auto& config = updated.at("config").as_object();
  EXPECT_EQ(config.at("name").as_string(), "Sage");
  // Traits not named keep their values.
  EXPECT_DOUBLE_EQ(config.at("personality_traits").at("empathy").to_number<double>(), 0.9);
  EXPECT_EQ(client.get("/api/persona/get", bearer(ann)).json().at("name").as_string(), "Sage");
  EXPECT_EQ(client.get("/api/persona/get", bearer(ben)).json().at("name").as_string(), "Friend");
  auto bad = client.post_json("/api/persona/update",
                              json::object{{"personality_traits", json::object{{"humor", 3}}}},
                              bearer(ann));
  EXPECT_EQ(bad.status, 422);
  auto reset = client.post_json("/api/persona/reset", json::object{}, bearer(ann));
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.json().at("config").at("name").as_string(), "Friend");
}

TEST(Agents, StatusCountsTheStagesThatRanAndTestRunsOne) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "kai");
  send(client, token, "I'm so excited about this project!");
  auto status = client.get("/api/agents/status", bearer(token));
  ASSERT_EQ(status.status, 200) << status.body;
  std::map<std::string, std::int64_t> runs;
  auto status_body = status.json();
  for (const auto& agent : status_body.at("agents").as_array())
    runs[std::string(agent.at("type").as_string())] = agent.at("total_executions").as_int64();
  EXPECT_GE(runs["emotion"], 1);
  EXPECT_GE(runs["context"], 1);
  EXPECT_GE(runs["task"], 1);
  EXPECT_TRUE(status_body.at("coordinator").at("parallel_execution").as_bool());

  auto test = client.post_json(
      "/api/agents/test",
      json::object{{"agent_type", "emotion"}, {"input", "I'm so excited about this project!"}},
      bearer(token));
  ASSERT_EQ(test.status, 200) << test.body;
  EXPECT_EQ(test.json().at("output").at("primary_emotion").as_string(), "excitement");
  EXPECT_TRUE(test.json().at("success").as_bool());
  auto unknown = client.post_json(
      "/api/agents/test", json::object{{"agent_type", "mood"}, {"input", "x"}}, bearer(token));
  EXPECT_EQ(unknown.status, 422);
}

TEST(OpenAiChat, CompletionFromACharacterRemembersTheUser) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "lou");
  auto first = client.post_json(
      "/v1/chat/completions",
      json::object{{"model", "friend"},
                   {"messages", json::array{json::object{
                                    {"role", "user"}, {"content", "My dog is called Biscuit."}}}}},
      bearer(token));
  ASSERT_EQ(first.status, 200) << first.body;
  auto body = first.json().as_object();
  EXPECT_EQ(body.at("object").as_string(), "chat.completion");
  EXPECT_FALSE(body.at("choices").as_array()[0].at("message").at("content").as_string().empty());
  EXPECT_GT(body.at("usage").at("total_tokens").as_int64(), 0);
  // A new conversation from the SDK's side: the companion still knows.
  auto second = client.post_json(
      "/v1/chat/completions",
      json::object{{"model", "friend"},
                   {"messages", json::array{json::object{{"role", "user"},
                                                         {"content", "What is my dog called?"}}}}},
      bearer(token));
  ASSERT_EQ(second.status, 200) << second.body;
  auto content = std::string(
      second.json().at("choices").as_array()[0].at("message").at("content").as_string());
  EXPECT_NE(content.find("Biscuit"), std::string::npos) << content;
}

TEST(OpenAiChat, StreamingSendsChunksThenDone) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "max");
  json::object request{
      {"model", "assistant"},
      {"stream", true},
      {"stream_options", json::object{{"include_usage", true}}},
      {"messages", json::array{json::object{{"role", "system"}, {"content", "Be brief."}},
                               json::object{{"role", "user"}, {"content", "Hello!"}}}}};
  auto headers = bearer(token);
  headers.emplace_back("Content-Type", "application/json");
  SseClient sse(server.port(), "POST", "/v1/chat/completions", json::serialize(request), headers);
  ASSERT_EQ(sse.status(), 200);
  std::string text;
  bool done = false, finished = false, usage = false;
  while (auto event = sse.next()) {
    if (event->data == "[DONE]") {
      done = true;
      break;
    }
    auto chunk = json::parse(event->data).as_object();
    EXPECT_EQ(chunk.at("object").as_string(), "chat.completion.chunk");
    if (chunk.contains("usage")) usage = true;
    for (const auto& choice : chunk.at("choices").as_array()) {
      const auto& delta = choice.at("delta").as_object();
      if (const auto* c = delta.if_contains("content")) text += std::string(c->as_string());
      if (!choice.at("finish_reason").is_null()) finished = true;
    }
  }
  EXPECT_TRUE(done);
  EXPECT_TRUE(finished);
  EXPECT_TRUE(usage);
  EXPECT_FALSE(text.empty());
}

TEST(OpenAiChat, ModelsListProvidersAndCharactersAndUnknownModelIs404) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ned");
  auto models = client.get("/v1/models", bearer(token));
  ASSERT_EQ(models.status, 200) << models.body;
  std::set<std::string> ids;
  auto listed = models.json();
  for (const auto& m : listed.at("data").as_array())
    ids.insert(std::string(m.at("id").as_string()));
  EXPECT_TRUE(ids.count("offline/companion"));
  EXPECT_TRUE(ids.count("friend"));
  EXPECT_TRUE(ids.count("assistant"));
  EXPECT_TRUE(ids.count("creative"));
  auto missing = client.post_json(
      "/v1/chat/completions",
      json::object{{"model", "no-such-model"},
                   {"messages", json::array{json::object{{"role", "user"}, {"content", "hi"}}}}},
      bearer(token));
  EXPECT_EQ(missing.status, 404);
  auto not_user_last = client.post_json(
      "/v1/chat/completions",
      json::object{
          {"messages", json::array{json::object{{"role", "assistant"}, {"content", "hi"}}}}},
      bearer(token));
  EXPECT_EQ(not_user_last.status, 422);
}
