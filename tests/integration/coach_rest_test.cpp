// AI Coach's REST resources (/api/agents/, /api/sessions/, /api/chats/, /api/slides/) as a
// client sees them: DRF-style shapes and status codes, page-number pagination, the
// thread_id rule, and that one user never sees another's rows.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <string>

#include "coach_test_helpers.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace companion;
using namespace companion::testing;
using namespace companion::testing::coach;
namespace json = boost::json;

namespace {

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

// Two users and a client; most tests act as the first and check the second sees nothing.
struct CoachApi {
  TestServer server;
  HttpClient http{server.port()};
  std::string alice = user_with_key(server, "alice");
  std::string bob = user_with_key(server, "bob");

  HttpResult get(const std::string& target, const std::string& key) {
    return http.get(target, api_key(key));
  }
  HttpResult post(const std::string& target, const json::value& body, const std::string& key) {
    return http.post_json(target, body, api_key(key));
  }
  HttpResult send(const std::string& method, const std::string& target, const json::value& body,
                  const std::string& key) {
    auto headers = api_key(key);
    headers.emplace_back("Content-Type", "application/json");
    return http.request(method, target, json::serialize(body), headers);
  }
  HttpResult remove(const std::string& target, const std::string& key) {
    return http.request("DELETE", target, {}, api_key(key));
  }

  // A session of the built-in coach; returns its numeric id.
  std::int64_t session(const std::string& thread, const std::string& key) {
    auto res =
        post("/api/sessions/",
             json::object{{"thread_id", thread}, {"agent", built_in_coach(server).row_id}}, key);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? res.json().at("id").as_int64() : 0;
  }
};

json::object object_of(const HttpResult& res) {
  return res.json().is_object() ? res.json().as_object() : json::object{};
}

std::string url_of(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : std::string();
}

}  // namespace

TEST(CoachRest, RequiresAnApiKey) {
  CoachApi api;
  for (const char* target : {"/api/agents/", "/api/sessions/", "/api/chats/", "/api/slides/"}) {
    EXPECT_EQ(api.http.get(target).status, 401) << target;
    EXPECT_EQ(api.get(target, "wrong-key").status, 401) << target;
  }
}

TEST(CoachRest, AgentsListIsPaginatedAndIncludesTheBuiltInCoach) {
  CoachApi api;
  auto page = object_of(api.get("/api/agents/", api.alice));
  auto count = page["count"].as_int64();
  ASSERT_GE(count, 4);  // friend, assistant, creative, coach
  EXPECT_TRUE(page["next"].is_null());
  EXPECT_TRUE(page["previous"].is_null());
  auto coach = built_in_coach(api.server);
  bool found = false;
  for (auto& item : page["results"].as_array()) {
    auto agent = item.as_object();
    EXPECT_TRUE(std::regex_match(std::string(agent["bot_id"].as_string()), kUuid));
    EXPECT_TRUE(agent["voice"].as_object().contains("service"));
    EXPECT_TRUE(agent["voice"].as_object().contains("voice_id"));
    EXPECT_TRUE(agent.contains("thumbnail"));
    if (agent["id"] == coach.row_id) {
      found = true;
      EXPECT_EQ(agent["name"], "AI Coach");
      EXPECT_EQ(agent["bot_id"], coach.bot_id.c_str());
    }
  }
  EXPECT_TRUE(found);

  auto first = object_of(api.get("/api/agents/?page_size=2", api.alice));
  EXPECT_EQ(first["count"], count);
  EXPECT_EQ(first["results"].as_array().size(), 2u);
  EXPECT_EQ(url_of(first["next"]), "http://127.0.0.1/api/agents/?page=2&page_size=2");
  EXPECT_TRUE(first["previous"].is_null());
  auto second = object_of(api.get("/api/agents/?page=2&page_size=2", api.alice));
  EXPECT_EQ(url_of(second["previous"]), "http://127.0.0.1/api/agents/?page=1&page_size=2");
  EXPECT_NE(second["results"].as_array()[0], first["results"].as_array()[0]);

  EXPECT_EQ(api.get("/api/agents/?page=99", api.alice).status, 404);
  EXPECT_EQ(api.get("/api/agents/?page_size=0", api.alice).status, 422);
  EXPECT_EQ(api.get("/api/agents/?page_size=101", api.alice).status, 422);
  EXPECT_EQ(api.get("/api/agents/?page=abc", api.alice).status, 422);
}

TEST(CoachRest, AgentCrudAndOwnership) {
  CoachApi api;
  auto res = api.post("/api/agents/",
                      json::object{{"name", "Focus Coach"},
                                   {"thumbnail", "/media/agents/focus.png"},
                                   {"voice", {{"service", "elevenlabs"}, {"voice_id", "v-123"}}}},
                      api.alice);
  ASSERT_EQ(res.status, 201) << res.body;
  auto agent = object_of(res);
  auto id = agent["id"].as_int64();
  EXPECT_TRUE(std::regex_match(std::string(agent["bot_id"].as_string()), kUuid));
  EXPECT_EQ(agent["name"], "Focus Coach");
  EXPECT_EQ(agent["thumbnail"], "http://127.0.0.1/media/agents/focus.png");
  EXPECT_EQ(agent["voice"], (json::object{{"service", "elevenlabs"}, {"voice_id", "v-123"}}));
  std::string path = "/api/agents/" + std::to_string(id) + "/";

  EXPECT_EQ(object_of(api.get(path, api.alice))["bot_id"], agent["bot_id"]);
  EXPECT_EQ(api.get(path, api.bob).status, 404);
  EXPECT_EQ(api.send("PATCH", path, json::object{{"name", "Stolen"}}, api.bob).status, 404);
  EXPECT_EQ(api.remove(path, api.bob).status, 404);

  auto patched = api.send("PATCH", path, json::object{{"name", "Deep Focus"}}, api.alice);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(object_of(patched)["name"], "Deep Focus");
  EXPECT_EQ(object_of(patched)["id"], id);
  EXPECT_EQ(object_of(patched)["voice"].as_object()["voice_id"], "v-123");
  EXPECT_EQ(api.send("PUT", path, json::object{{"description", "no name"}}, api.alice).status, 422);
  EXPECT_EQ(api.post("/api/agents/", json::object{{"description", "no name"}}, api.alice).status,
            422);
  EXPECT_EQ(
      api.post("/api/agents/", json::object{{"name", "X"}, {"model", "nowhere/none"}}, api.alice)
          .status,
      422);

  EXPECT_EQ(api.remove(path, api.alice).status, 204);
  EXPECT_EQ(api.get(path, api.alice).status, 404);
  EXPECT_EQ(api.get("/api/agents/abc/", api.alice).status, 404);
}

TEST(CoachRest, SharedAgentsAreEditedAsTheUsersOwnCopyAndCannotBeDeleted) {
  CoachApi api;
  auto coach = built_in_coach(api.server);
  std::string path = "/api/agents/" + std::to_string(coach.row_id) + "/";
  EXPECT_EQ(api.remove(path, api.alice).status, 403);

  auto edited = api.send("PATCH", path, json::object{{"name", "Alice's Coach"}}, api.alice);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(object_of(edited)["name"], "Alice's Coach");
  EXPECT_NE(object_of(edited)["id"], coach.row_id);
  EXPECT_EQ(object_of(api.get(path, api.bob))["name"], "AI Coach");
}

TEST(CoachRest, SessionCrudAndThreadIdRules) {
  CoachApi api;
  auto coach = built_in_coach(api.server);
  auto res = api.post("/api/sessions/",
                      json::object{{"thread_id", "user_ab12cd34ef56ab78"}, {"agent", coach.row_id}},
                      api.alice);
  ASSERT_EQ(res.status, 201) << res.body;
  auto session = object_of(res);
  auto id = session["id"].as_int64();
  EXPECT_GT(id, 0);
  EXPECT_EQ(session["thread_id"], "user_ab12cd34ef56ab78");
  EXPECT_EQ(session["agent"], coach.row_id);
  EXPECT_TRUE(session["created_at"].is_string());

  // The document's own example has non-hex letters: it is not a valid thread id.
  EXPECT_EQ(api.post("/api/sessions/",
                     json::object{{"thread_id", "user_ab12cd34ef56gh78"}, {"agent", coach.row_id}},
                     api.alice)
                .status,
            422);
  EXPECT_EQ(api.post("/api/sessions/", json::object{{"thread_id", thread_id(1)}}, api.alice).status,
            422);
  EXPECT_EQ(api.post("/api/sessions/", json::object{{"thread_id", thread_id(1)}, {"agent", 99999}},
                     api.alice)
                .status,
            422);
  auto duplicate = api.post(
      "/api/sessions/",
      json::object{{"thread_id", "user_ab12cd34ef56ab78"}, {"agent", coach.row_id}}, api.bob);
  EXPECT_EQ(duplicate.status, 422) << duplicate.body;

  auto list = object_of(api.get("/api/sessions/", api.alice));
  EXPECT_EQ(list["count"], 1);
  EXPECT_EQ(list["results"].as_array()[0].as_object()["id"], id);
  EXPECT_EQ(object_of(api.get("/api/sessions/", api.bob))["count"], 0);

  std::string path = "/api/sessions/" + std::to_string(id) + "/";
  EXPECT_EQ(object_of(api.get(path, api.alice))["thread_id"], "user_ab12cd34ef56ab78");
  EXPECT_EQ(api.get(path, api.bob).status, 404);

  auto helper = api.post("/api/agents/", json::object{{"name", "Helper"}}, api.alice);
  ASSERT_EQ(helper.status, 201);
  auto helper_id = object_of(helper)["id"].as_int64();
  auto moved = api.send("PATCH", path, json::object{{"agent", helper_id}}, api.alice);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(object_of(moved)["agent"], helper_id);
  EXPECT_EQ(api.send("PATCH", path, json::object{{"thread_id", thread_id(2)}}, api.alice).status,
            422);
  EXPECT_EQ(api.send("PUT", path, json::object{{"agent", coach.row_id}}, api.alice).status, 422);

  // The Voice Assistant's /api/sessions (no slash) is a different route and keeps its shape.
  auto voice = api.http.get("/api/sessions", api_key(api.alice));
  EXPECT_EQ(voice.status, 200);
  EXPECT_FALSE(object_of(voice).contains("results"));

  EXPECT_EQ(api.remove(path, api.bob).status, 404);
  EXPECT_EQ(api.remove(path, api.alice).status, 204);
  EXPECT_EQ(api.get(path, api.alice).status, 404);
}

TEST(CoachRest, ChatImportShapeEditAndDelete) {
  CoachApi api;
  auto session = api.session(thread_id(3), api.alice);
  json::object body{{"session", session},
                    {"query", "How do I plan my week?"},
                    {"response", "Here is a simple three-step plan. I'm so glad you asked!"},
                    {"meta",
                     {{"model", "gpt-4o-mini"},
                      {"timings_ms", {{"prepare_ms", 42}, {"run_ms", 1876}, {"total_ms", 2120}}},
                      {"tools", {"search_wikipedia"}}}}};
  auto res = api.post("/api/chats/", body, api.alice);
  ASSERT_EQ(res.status, 201) << res.body;
  auto chat = object_of(res);
  auto id = chat["id"].as_int64();
  EXPECT_EQ(chat["session"], session);
  EXPECT_EQ(chat["query"], "How do I plan my week?");
  EXPECT_EQ(chat["status"], "complete");
  EXPECT_TRUE(chat["created_at"].is_string());
  auto emotion = chat["emotion"].as_object();
  EXPECT_TRUE(emotion["items"].is_array());
  auto stats = emotion["stats"].as_object();
  EXPECT_EQ(stats["count"], 2);  // two sentences
  for (const char* key : {"avg", "max", "last"}) EXPECT_TRUE(stats[key].is_object()) << key;
  EXPECT_FALSE(stats["max"].as_object().empty()) << "\"so glad\" carries joy";
  auto meta = chat["meta"].as_object();
  EXPECT_EQ(meta["bot_id"], built_in_coach(api.server).bot_id.c_str());
  EXPECT_EQ(meta["thread_id"], thread_id(3).c_str());
  EXPECT_EQ(meta["model"], "gpt-4o-mini");
  EXPECT_EQ(meta["timings_ms"].as_object()["prepare_ms"], 42);
  EXPECT_EQ(meta["response_len"], 56);
  EXPECT_EQ(meta["tools"], (json::array{"search_wikipedia"}));
  EXPECT_TRUE(meta["schema"].is_string());

  std::string path = "/api/chats/" + std::to_string(id) + "/";
  EXPECT_EQ(object_of(api.get(path, api.alice))["response"], body["response"]);
  EXPECT_EQ(api.get(path, api.bob).status, 404);
  EXPECT_EQ(api.post("/api/chats/", body, api.bob).status, 404);  // not bob's session
  EXPECT_EQ(api.post("/api/chats/", json::object{{"session", session}}, api.alice).status, 422);

  auto other = api.session(thread_id(4), api.alice);
  body["session"] = other;
  ASSERT_EQ(api.post("/api/chats/", body, api.alice).status, 201);
  EXPECT_EQ(object_of(api.get("/api/chats/", api.alice))["count"], 2);
  auto filtered = object_of(api.get("/api/chats/?session=" + std::to_string(session), api.alice));
  EXPECT_EQ(filtered["count"], 1);
  EXPECT_EQ(filtered["results"].as_array()[0].as_object()["id"], id);
  EXPECT_EQ(object_of(api.get("/api/chats/", api.bob))["count"], 0);

  auto patched = api.send("PATCH", path, json::object{{"response", "A better plan."}}, api.alice);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(object_of(patched)["response"], "A better plan.");
  EXPECT_EQ(object_of(patched)["query"], "How do I plan my week?");
  EXPECT_EQ(api.send("PATCH", path, json::object{{"response", "x"}}, api.bob).status, 404);

  EXPECT_EQ(api.remove(path, api.alice).status, 204);
  EXPECT_EQ(api.get(path, api.alice).status, 404);
  EXPECT_EQ(object_of(api.get("/api/chats/", api.alice))["count"], 1);
}

TEST(CoachRest, SlidesCrudAndTheyGoWithTheirSession) {
  CoachApi api;
  auto session = api.session(thread_id(5), api.alice);
  json::object document{
      {"time", 1698650000},
      {"version", "2.28.2"},
      {"blocks",
       {{{"type", "header"}, {"data", {{"text", "Weekly Planning"}, {"level", 1}}}},
        {{"type", "paragraph"}, {"data", {{"text", "Three steps."}}}}}}};
  auto res = api.post("/api/slides/",
                      json::object{{"session", session},
                                   {"title", "Weekly Planning"},
                                   {"summary", "A compact guide to plan your week."},
                                   {"editorjs", document}},
                      api.alice);
  ASSERT_EQ(res.status, 201) << res.body;
  auto slides = object_of(res);
  auto id = slides["id"].as_int64();
  EXPECT_EQ(slides["session"], session);
  EXPECT_EQ(slides["title"], "Weekly Planning");
  EXPECT_EQ(slides["editorjs"], document);
  EXPECT_TRUE(slides["updated_at"].is_string());

  EXPECT_EQ(
      api.post("/api/slides/",
               json::object{{"session", session}, {"editorjs", {{"blocks", "nope"}}}}, api.alice)
          .status,
      422);
  EXPECT_EQ(api.post("/api/slides/", json::object{{"session", session}}, api.alice).status, 422);
  EXPECT_EQ(
      api.post("/api/slides/", json::object{{"session", session}, {"editorjs", document}}, api.bob)
          .status,
      404);

  std::string path = "/api/slides/" + std::to_string(id) + "/";
  EXPECT_EQ(api.get(path, api.bob).status, 404);
  auto patched = api.send("PATCH", path, json::object{{"title", "Week Plan"}}, api.alice);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(object_of(patched)["title"], "Week Plan");
  EXPECT_EQ(object_of(patched)["editorjs"], document);
  EXPECT_EQ(api.send("PUT", path, json::object{{"title", "No document"}}, api.alice).status, 422);

  auto list = object_of(api.get("/api/slides/?session=" + std::to_string(session), api.alice));
  EXPECT_EQ(list["count"], 1);
  EXPECT_EQ(object_of(api.get("/api/slides/", api.bob))["count"], 0);

  EXPECT_EQ(api.remove("/api/sessions/" + std::to_string(session) + "/", api.alice).status, 204);
  EXPECT_EQ(api.get(path, api.alice).status, 404);
  EXPECT_EQ(object_of(api.get("/api/slides/", api.alice))["count"], 0);
}

TEST(CoachRest, SlideDeleteRemovesOnlyThatDeck) {
  CoachApi api;
  auto session = api.session(thread_id(6), api.alice);
  json::object body{{"session", session}, {"editorjs", {{"blocks", json::array{}}}}};
  auto first = object_of(api.post("/api/slides/", body, api.alice));
  auto second = object_of(api.post("/api/slides/", body, api.alice));
  std::string path = "/api/slides/" + std::to_string(first["id"].as_int64()) + "/";
  EXPECT_EQ(api.remove(path, api.bob).status, 404);
  EXPECT_EQ(api.remove(path, api.alice).status, 204);
  auto list = object_of(api.get("/api/slides/", api.alice));
  ASSERT_EQ(list["count"], 1);
  EXPECT_EQ(list["results"].as_array()[0].as_object()["id"], second["id"]);
}
