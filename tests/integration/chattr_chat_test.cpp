// Chattr's REST chat and characters as its clients see them over real sockets with the
// built-in offline engine: a message and its reply, the session's history with pagination,
// clearing it, privacy between users, and characters with per-user edits.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "support/api_helpers.hpp"
#include "support/fake_http_server.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion::testing;
namespace json = boost::json;

namespace {

std::string text_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

json::object send_message(HttpClient& client, const std::string& token, const std::string& message,
                          json::object extra = {}) {
  extra["message"] = message;
  auto res = client.post_json("/api/v1/chat/message", extra, bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.status == 200 ? res.json().as_object() : json::object{};
}

json::object history(HttpClient& client, const std::string& token, const std::string& session,
                     const std::string& query = "") {
  auto res = client.get("/api/v1/chat/history/" + session + query, bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.status == 200 ? res.json().as_object() : json::object{};
}

// The loc of the first validation error, joined with dots ("body.context.user_name").
std::string first_error_location(const HttpResult& res) {
  auto body = res.json();
  const auto& detail = body.at("detail").as_array();
  if (detail.empty()) return "";
  std::string loc;
  for (const auto& part : detail[0].at("loc").as_array()) {
    if (!loc.empty()) loc += ".";
    loc += text_of(part);
  }
  return loc;
}

// An OpenAI-compatible model that answers "Noted." and keeps the messages of every prompt
// it was sent, so a test can see what reached the model.
class RecordingModel {
 public:
  RecordingModel() : server_([this](FakeConnection& c) { serve(c); }) {}

  void configure(companion::app::Config& c) const {
    c.llm.openai.base_url = server_.url("/v1");
    c.llm.openai.models = {"recorder"};
    c.llm.openai.configured = true;
    c.llm.default_model = "openai/recorder";
  }
  // The messages of the latest prompt.
  json::array last_prompt() {
    std::lock_guard lock(mutex_);
    return prompts_.empty() ? json::array{} : prompts_.back();
  }

 private:
  void serve(FakeConnection& c) {
    if (c.target() != "/v1/chat/completions") {
      c.send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    {
      std::lock_guard lock(mutex_);
      prompts_.push_back(json::parse(c.body()).at("messages").as_array());
    }
    json::object choice{
        {"index", 0}, {"delta", {{"content", "Noted."}}}, {"finish_reason", nullptr}};
    json::object done{{"index", 0}, {"delta", json::object{}}, {"finish_reason", "stop"}};
    auto event = [](const json::object& c) {
      return "data: " +
             json::serialize(json::object{{"id", "chatcmpl-1"},
                                          {"object", "chat.completion.chunk"},
                                          {"model", "recorder"},
                                          {"choices", json::array{c}}}) +
             "\n\n";
    };
    c.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n" + event(choice) +
           event(done) + "data: [DONE]\n\n");
  }

  std::mutex mutex_;
  std::vector<json::array> prompts_;
  FakeHttpServer server_;  // last: its thread uses the members above
};

// Whether a user or assistant message of the prompt says exactly `text`.
bool prompt_has_message(const json::array& prompt, const std::string& text) {
  for (const auto& m : prompt)
    if (text_of(m.at("role")) != "system" && text_of(m.at("content")) == text) return true;
  return false;
}

std::string system_prompt_of(const json::array& prompt) {
  std::string out;
  for (const auto& m : prompt)
    if (text_of(m.at("role")) == "system") out += text_of(m.at("content"));
  return out;
}

json::object character(HttpClient& client, const std::string& token, const std::string& id) {
  auto res = client.get("/api/v1/characters/" + id, bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  return res.status == 200 ? res.json().as_object() : json::object{};
}

}  // namespace

TEST(ChattrChat, MessageIsAnsweredInTheDocumentedShape) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "alice");
  auto reply = send_message(client, token, "Hello, how are you today?",
                            {{"character_id", "assistant"}, {"session_id", "user-session-123"}});
  EXPECT_FALSE(text_of(reply["response"]).empty());
  EXPECT_EQ(text_of(reply["character_id"]), "assistant");
  EXPECT_EQ(text_of(reply["session_id"]), "user-session-123");
  auto timestamp = text_of(reply["timestamp"]);
  ASSERT_GE(timestamp.size(), 20u);
  EXPECT_EQ(timestamp.back(), 'Z');
  // No media is generated for a chat reply: no URL is made up for one.
  auto media = reply["media"].as_object();
  EXPECT_TRUE(media.at("audio_url").is_null());
  EXPECT_TRUE(media.at("video_url").is_null());
  auto metadata = reply["metadata"].as_object();
  EXPECT_GT(metadata.at("tokens_used").as_int64(), 0);
  EXPECT_GE(metadata.at("response_time_ms").as_int64(), 0);
  double confidence = metadata.at("confidence").to_number<double>();
  EXPECT_GT(confidence, 0.0);
  EXPECT_LE(confidence, 1.0);
}

TEST(ChattrChat, HistoryHoldsTheMessageAndTheReplyWithTheirRoles) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "bella");
  auto reply =
      send_message(client, token, "I love hiking in the mountains.", {{"session_id", "hikes"}});
  auto page = history(client, token, "hikes");
  EXPECT_EQ(text_of(page["session_id"]), "hikes");
  EXPECT_EQ(page["total_count"].as_int64(), 2);
  EXPECT_FALSE(page["has_more"].as_bool());
  auto messages = page["messages"].as_array();
  ASSERT_EQ(messages.size(), 2u);
  auto asked = messages[0].as_object();
  auto answered = messages[1].as_object();
  EXPECT_EQ(text_of(asked["role"]), "user");
  EXPECT_EQ(text_of(asked["content"]), "I love hiking in the mountains.");
  EXPECT_EQ(text_of(answered["role"]), "assistant");
  EXPECT_EQ(text_of(answered["content"]), text_of(reply["response"]));
  for (const auto& m : messages) {
    auto message = m.as_object();
    EXPECT_EQ(text_of(message["id"]).rfind("msg_", 0), 0u) << json::serialize(message);
    EXPECT_EQ(text_of(message["character_id"]), "assistant");
    EXPECT_EQ(text_of(message["timestamp"]).back(), 'Z');
  }
  EXPECT_NE(text_of(asked["id"]), text_of(answered["id"]));
}

TEST(ChattrChat, ASessionIsCreatedWhenTheClientNamesNone) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "cora");
  auto reply = send_message(client, token, "Hi there!");
  auto session = text_of(reply["session_id"]);
  ASSERT_FALSE(session.empty());
  EXPECT_EQ(history(client, token, session)["total_count"].as_int64(), 2);
  // The next message without a session starts another one.
  auto next = send_message(client, token, "Hi again!");
  EXPECT_NE(text_of(next["session_id"]), session);
}

TEST(ChattrChat, HistoryPagesWithLimitAndOffset) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "dana");
  for (int i = 1; i <= 5; ++i)
    send_message(client, token, "Message number " + std::to_string(i), {{"session_id", "pages"}});

  auto first = history(client, token, "pages", "?limit=4");
  EXPECT_EQ(first["total_count"].as_int64(), 10);
  EXPECT_TRUE(first["has_more"].as_bool());
  ASSERT_EQ(first["messages"].as_array().size(), 4u);
  EXPECT_EQ(text_of(first["messages"].as_array()[0].at("content")), "Message number 1");
  EXPECT_EQ(text_of(first["messages"].as_array()[2].at("content")), "Message number 2");

  auto middle = history(client, token, "pages", "?limit=4&offset=4");
  ASSERT_EQ(middle["messages"].as_array().size(), 4u);
  EXPECT_EQ(text_of(middle["messages"].as_array()[0].at("content")), "Message number 3");
  EXPECT_TRUE(middle["has_more"].as_bool());

  auto last = history(client, token, "pages", "?limit=4&offset=8");
  ASSERT_EQ(last["messages"].as_array().size(), 2u);
  EXPECT_EQ(text_of(last["messages"].as_array()[0].at("content")), "Message number 5");
  EXPECT_FALSE(last["has_more"].as_bool());
  EXPECT_EQ(last["total_count"].as_int64(), 10);

  auto beyond = history(client, token, "pages", "?offset=20");
  EXPECT_TRUE(beyond["messages"].as_array().empty());
  EXPECT_FALSE(beyond["has_more"].as_bool());

  // The default page holds every message of a short session.
  EXPECT_EQ(history(client, token, "pages")["messages"].as_array().size(), 10u);
}

TEST(ChattrChat, BadPagingAnswers422WithTheParameter) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "emil");
  send_message(client, token, "Hello!", {{"session_id", "s1"}});
  for (const char* query : {"?limit=0", "?limit=501", "?limit=ten", "?offset=-1"}) {
    auto res = client.get(std::string("/api/v1/chat/history/s1") + query, bearer(token));
    EXPECT_EQ(res.status, 422) << query << ": " << res.body;
    if (res.status != 422) continue;
    EXPECT_EQ(text_of(res.json().at("code")), "VALIDATION_ERROR");
    auto loc = first_error_location(res);
    EXPECT_TRUE(loc == "query.limit" || loc == "query.offset") << loc;
  }
}

TEST(ChattrChat, AFactToldInAMessageIsRecalledLater) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "fay");
  send_message(client, token, "My sister is called Maya.", {{"session_id", "family"}});
  auto reply = send_message(client, token, "What's my sister's name?", {{"session_id", "family"}});
  EXPECT_TRUE(contains(text_of(reply["response"]), "Maya")) << json::serialize(reply);
}

TEST(ChattrChat, TheUserNameInTheContextReachesTheReply) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "gus");
  auto reply =
      send_message(client, token, "Hello!",
                   {{"context", {{"user_name", "Alice"}, {"conversation_history", true}}}});
  EXPECT_TRUE(contains(text_of(reply["response"]), "Alice")) << json::serialize(reply);
}

TEST(ChattrChat, TheContextReachesThePromptAndTheHistoryCanBeLeftOut) {
  RecordingModel model;
  TestServer server([&](companion::app::Config& c) { model.configure(c); });
  HttpClient client(server.port());
  auto token = register_user(client, "hugo");
  send_message(client, token, "I planted tomatoes today.",
               {{"session_id", "garden"}, {"context", {{"user_name", "Alice"}}}});
  EXPECT_TRUE(contains(system_prompt_of(model.last_prompt()), "Alice"));

  send_message(client, token, "What did I plant?", {{"session_id", "garden"}});
  EXPECT_TRUE(prompt_has_message(model.last_prompt(), "I planted tomatoes today."));

  send_message(client, token, "What did I plant?",
               {{"session_id", "garden"}, {"context", {{"conversation_history", false}}}});
  auto without = model.last_prompt();
  EXPECT_FALSE(prompt_has_message(without, "I planted tomatoes today."))
      << json::serialize(without);
  EXPECT_TRUE(prompt_has_message(without, "What did I plant?"));
}

TEST(ChattrChat, ClearingEmptiesTheHistoryAndTheSessionGoesOn) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "hana");
  send_message(client, token, "Remember the milk.", {{"session_id", "errands"}});
  send_message(client, token, "And the bread.", {{"session_id", "errands"}});
  auto res = client.request("DELETE", "/api/v1/chat/history/errands", {}, bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  auto cleared = res.json().as_object();
  EXPECT_EQ(text_of(cleared["message"]), "Conversation history cleared successfully");
  EXPECT_EQ(text_of(cleared["session_id"]), "errands");
  EXPECT_EQ(text_of(cleared["cleared_at"]).back(), 'Z');

  auto empty = history(client, token, "errands");
  EXPECT_EQ(empty["total_count"].as_int64(), 0);
  EXPECT_TRUE(empty["messages"].as_array().empty());
  EXPECT_FALSE(empty["has_more"].as_bool());

  send_message(client, token, "A fresh start.", {{"session_id", "errands"}});
  EXPECT_EQ(history(client, token, "errands")["total_count"].as_int64(), 2);
}

TEST(ChattrChat, AnotherUsersSessionCannotBeReadClearedOrContinued) {
  TestServer server;
  HttpClient client(server.port());
  auto alice = register_user(client, "alice");
  auto bob = register_user(client, "bob");
  send_message(client, alice, "My secret is the blue door.", {{"session_id", "alices"}});

  auto theirs = client.get("/api/v1/chat/history/alices", bearer(bob));
  auto missing = client.get("/api/v1/chat/history/nobodys", bearer(bob));
  EXPECT_EQ(theirs.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(text_of(theirs.json().at("code")), "NOT_FOUND");
  // Exactly like a missing session: nothing tells that it exists.
  EXPECT_EQ(theirs.json().at("detail"), missing.json().at("detail"));
  EXPECT_FALSE(contains(theirs.body, "blue door"));

  auto clear_theirs = client.request("DELETE", "/api/v1/chat/history/alices", {}, bearer(bob));
  auto clear_missing = client.request("DELETE", "/api/v1/chat/history/nobodys", {}, bearer(bob));
  EXPECT_EQ(clear_theirs.status, 404);
  EXPECT_EQ(clear_missing.status, 404);

  auto write =
      client.post_json("/api/v1/chat/message",
                       json::object{{"message", "Hi"}, {"session_id", "alices"}}, bearer(bob));
  EXPECT_EQ(write.status, 403) << write.body;
  EXPECT_EQ(text_of(write.json().at("code")), "FORBIDDEN");

  // Alice's session is untouched.
  auto kept = history(client, alice, "alices");
  EXPECT_EQ(kept["total_count"].as_int64(), 2);
}

TEST(ChattrChat, MessagesNeedACredential) {
  TestServer server;
  HttpClient client(server.port());
  auto res = client.post_json("/api/v1/chat/message", json::object{{"message", "Hi"}});
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(text_of(res.json().at("code")), "UNAUTHORIZED");
  EXPECT_EQ(client.get("/api/v1/characters").status, 401);
}

TEST(ChattrChat, InvalidMessagesAnswer422WithTheField) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "ivan");
  auto check = [&](const json::object& body, const std::string& expected_loc) {
    auto res = client.post_json("/api/v1/chat/message", body, bearer(token));
    EXPECT_EQ(res.status, 422) << json::serialize(body) << ": " << res.body;
    if (res.status != 422) return;
    auto answer = res.json().as_object();
    EXPECT_EQ(text_of(answer["code"]), "VALIDATION_ERROR");
    EXPECT_EQ(answer["status_code"].as_int64(), 422);
    EXPECT_EQ(first_error_location(res), expected_loc) << res.body;
  };
  check({{"character_id", "assistant"}}, "body.message");
  check({{"message", ""}}, "body.message");
  check({{"message", 42}}, "body.message");
  check({{"message", "Hi"}, {"session_id", "not a valid id!"}}, "body.session_id");
  check({{"message", "Hi"}, {"context", "Alice"}}, "body.context");
  check({{"message", "Hi"}, {"context", {{"user_name", 7}}}}, "body.context.user_name");
  check({{"message", "Hi"}, {"context", {{"conversation_history", "yes"}}}},
        "body.context.conversation_history");
  auto not_json =
      client.request("POST", "/api/v1/chat/message", "{not json",
                     {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  EXPECT_EQ(not_json.status, 422);
  // Nothing was stored for a refused message.
  EXPECT_EQ(client.get("/api/v1/chat/history/not%20a%20valid%20id!", bearer(token)).status, 404);
}

TEST(ChattrChat, AnUnknownCharacterIsNotFound) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "jade");
  auto message =
      client.post_json("/api/v1/chat/message",
                       json::object{{"message", "Hi"}, {"character_id", "nobody"}}, bearer(token));
  EXPECT_EQ(message.status, 404) << message.body;
  EXPECT_EQ(text_of(message.json().at("code")), "NOT_FOUND");
  auto detail = client.get("/api/v1/characters/nobody", bearer(token));
  EXPECT_EQ(detail.status, 404);
  EXPECT_EQ(text_of(detail.json().at("code")), "NOT_FOUND");
  auto update = client.request(
      "PUT", "/api/v1/characters/nobody", json::serialize(json::object{{"name", "Somebody"}}),
      {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  EXPECT_EQ(update.status, 404);
}

TEST(ChattrChat, TheCharacterNamedAnswersAndIsRecordedInTheHistory) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "kira");
  auto reply = send_message(client, token, "Write me a tiny poem about rain.",
                            {{"character_id", "creative"}, {"session_id", "poems"}});
  EXPECT_EQ(text_of(reply["character_id"]), "creative");
  auto messages = history(client, token, "poems")["messages"].as_array();
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) EXPECT_EQ(text_of(m.at("character_id")), "creative");
}

TEST(ChattrCharacters, TheListHoldsTheSeededCharactersWithTheirFields) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "lena");
  auto res = client.get("/api/v1/characters", bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  auto characters = res.json().at("characters").as_array();
  json::object assistant, creative;
  for (const auto& c : characters) {
    if (c.at("id") == "assistant") assistant = c.as_object();
    if (c.at("id") == "creative") creative = c.as_object();
  }
  ASSERT_FALSE(assistant.empty()) << res.body;
  ASSERT_FALSE(creative.empty()) << res.body;
  EXPECT_EQ(text_of(assistant["name"]), "Assistant");
  EXPECT_EQ(text_of(assistant["description"]), "A helpful and friendly AI assistant");
  EXPECT_EQ(text_of(assistant["personality"]), "Professional, helpful, and knowledgeable");
  EXPECT_EQ(text_of(assistant["voice_model"]), "default");
  EXPECT_EQ(assistant["capabilities"], json::value(json::array{"text", "voice", "video"}));
  EXPECT_TRUE(assistant.contains("avatar_url"));
  EXPECT_EQ(text_of(creative["name"]), "Creative Writer");
  EXPECT_EQ(text_of(creative["voice_model"]), "expressive");
  EXPECT_EQ(creative["capabilities"], json::value(json::array{"text", "voice"}));
}

TEST(ChattrCharacters, DetailShowsConfigurationAndCountedStatistics) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "mona");
  auto before = character(client, token, "assistant");
  EXPECT_EQ(text_of(before["video_model"]), "stable-video");
  auto configuration = before["configuration"].as_object();
  EXPECT_DOUBLE_EQ(configuration.at("temperature").to_number<double>(), 0.7);
  EXPECT_EQ(configuration.at("max_tokens").as_int64(), 4096);
  EXPECT_FALSE(text_of(configuration.at("system_prompt")).empty());
  auto statistics = before["statistics"].as_object();
  EXPECT_EQ(statistics.at("total_conversations").as_int64(), 0);
  EXPECT_TRUE(statistics.at("average_rating").is_null());
  EXPECT_EQ(text_of(statistics.at("last_updated")).back(), 'Z');

  send_message(client, token, "Hello!", {{"session_id", "one"}});
  send_message(client, token, "Hello again!", {{"session_id", "one"}});
  send_message(client, token, "Hi!", {{"session_id", "two"}});
  send_message(client, token, "A poem, please.",
               {{"session_id", "three"}, {"character_id", "creative"}});
  auto after = character(client, token, "assistant");
  EXPECT_EQ(after["statistics"].at("total_conversations").as_int64(), 2);
  EXPECT_EQ(character(client, token, "creative")["statistics"].at("total_conversations").as_int64(),
            1);
  // Another user's conversations are not counted for this one.
  auto other = register_user(client, "nina");
  EXPECT_EQ(
      character(client, other, "assistant")["statistics"].at("total_conversations").as_int64(), 0);
}

TEST(ChattrCharacters, AnUpdateChangesTheCharacterForThatUserOnly) {
  TestServer server;
  HttpClient client(server.port());
  auto alice = register_user(client, "alice");
  auto bob = register_user(client, "bob");
  json::object update{{"name", "Updated Assistant"},
                      {"description", "An enhanced AI assistant"},
                      {"personality", "More casual and friendly"},
                      {"configuration", {{"temperature", 0.8}, {"max_tokens", 2048}}}};
  auto res =
      client.request("PUT", "/api/v1/characters/assistant", json::serialize(update),
                     {{"Authorization", "Bearer " + alice}, {"Content-Type", "application/json"}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto updated = res.json().as_object();
  EXPECT_EQ(text_of(updated["id"]), "assistant");
  EXPECT_EQ(text_of(updated["name"]), "Updated Assistant");
  EXPECT_EQ(text_of(updated["personality"]), "More casual and friendly");
  EXPECT_DOUBLE_EQ(updated["configuration"].at("temperature").to_number<double>(), 0.8);
  EXPECT_EQ(updated["configuration"].at("max_tokens").as_int64(), 2048);
  // Fields left out keep their values.
  EXPECT_FALSE(text_of(updated["configuration"].at("system_prompt")).empty());
  EXPECT_EQ(text_of(updated["voice_model"]), "default");

  EXPECT_EQ(text_of(character(client, alice, "assistant")["name"]), "Updated Assistant");
  EXPECT_EQ(text_of(character(client, bob, "assistant")["name"]), "Assistant");
  auto listed = client.get("/api/v1/characters", bearer(alice)).json();
  int assistants = 0;
  for (const auto& c : listed.at("characters").as_array()) {
    if (c.at("id") != "assistant") continue;
    ++assistants;
    EXPECT_EQ(text_of(c.at("name")), "Updated Assistant");
  }
  EXPECT_EQ(assistants, 1);  // the user's copy in the shared one's place

  // The edited character is the one that answers Alice.
  auto reply = send_message(client, alice, "Hello!", {{"session_id", "after-edit"}});
  EXPECT_EQ(text_of(reply["character_id"]), "assistant");
}

TEST(ChattrCharacters, InvalidUpdatesAnswer422WithTheField) {
  TestServer server;
  HttpClient client(server.port());
  auto token = register_user(client, "omar");
  auto put = [&](const json::object& body) {
    return client.request(
        "PUT", "/api/v1/characters/assistant", json::serialize(body),
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  };
  auto empty_name = put({{"name", ""}});
  EXPECT_EQ(empty_name.status, 422);
  EXPECT_EQ(first_error_location(empty_name), "body.name");
  auto hot = put({{"configuration", {{"temperature", 5}}}});
  EXPECT_EQ(hot.status, 422);
  EXPECT_EQ(first_error_location(hot), "body.configuration.temperature");
  auto tokens = put({{"configuration", {{"max_tokens", 0}}}});
  EXPECT_EQ(tokens.status, 422);
  EXPECT_EQ(first_error_location(tokens), "body.configuration.max_tokens");
  // Nothing changed.
  EXPECT_EQ(text_of(character(client, token, "assistant")["name"]), "Assistant");
}
