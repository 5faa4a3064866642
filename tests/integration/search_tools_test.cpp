// The search tools end to end over real sockets: the server is configured with a local
// SearxNG-compatible service and a local MediaWiki API that answer as the real ones do, and a
// user asks in chat. The offline engine plans the call, the adapters go out on the network,
// and the reply quotes what came back with its source; the tool's activity is streamed as
// YouWorker.AI tool events. A failing or stalled service costs the user an apology, not the
// turn.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/api_helpers.hpp"
#include "support/fake_search_service.hpp"
#include "support/http_client.hpp"
#include "support/test_server.hpp"

using namespace std::chrono_literals;
using namespace companion;
using namespace companion::testing;
namespace json = boost::json;

namespace {

const std::string kParisAnswer = R"json({
  "query": "the tallest building in Paris",
  "number_of_results": 0,
  "results": [
    {"url": "https://en.wikipedia.org/wiki/Tour_Montparnasse",
     "title": "Tour Montparnasse - Wikipedia",
     "content": "The <b>Tour Montparnasse</b> is a 210-metre office skyscraper in the Montparnasse area of Paris &amp; the tallest building within the city.",
     "engine": "duckduckgo", "engines": ["duckduckgo", "brave"], "positions": [1, 1],
     "score": 4.0, "category": "general", "template": "default.html",
     "parsed_url": ["https", "en.wikipedia.org", "/wiki/Tour_Montparnasse", "", "", ""]},
    {"url": "https://example.org/paris-skyline",
     "title": "Why Paris has so few towers",
     "content": "The city has limited the height of new buildings since 1977.",
     "engine": "brave", "engines": ["brave"], "positions": [2], "score": 0.5,
     "category": "general"}
  ],
  "answers": [], "corrections": [], "infoboxes": [], "suggestions": [],
  "unresponsive_engines": []
})json";

const std::string kLovelaceSearch = R"json({
  "batchcomplete": "",
  "query": {
    "searchinfo": {"totalhits": 2841},
    "search": [
      {"ns": 0, "title": "Ada Lovelace", "pageid": 974,
       "snippet": "Augusta <span class=\"searchmatch\">Ada</span> King, Countess of <span class=\"searchmatch\">Lovelace</span> was an English mathematician"},
      {"ns": 0, "title": "Ada (programming language)", "pageid": 1242,
       "snippet": "named after <span class=\"searchmatch\">Ada</span> <span class=\"searchmatch\">Lovelace</span>"}
    ]
  }
})json";

const std::string kLovelaceExtract = R"json({
  "batchcomplete": "",
  "query": {
    "pages": {
      "974": {
        "pageid": 974, "ns": 0, "title": "Ada Lovelace",
        "fullurl": "https://en.wikipedia.org/wiki/Ada_Lovelace",
        "canonicalurl": "https://en.wikipedia.org/wiki/Ada_Lovelace",
        "extract": "Augusta Ada King, Countess of Lovelace (née Byron; 10 December 1815 – 27 November 1852) was an English mathematician and writer, chiefly known for her work on Charles Babbage's proposed mechanical general-purpose computer, the Analytical Engine. She was the first to recognise that the machine had applications beyond pure calculation. Lovelace was the only legitimate child of poet Lord Byron."
      }
    }
  }
})json";

std::string searxng(const std::string& target) {
  if (target.starts_with("/search?")) return json_response(kParisAnswer);
  return json_response(R"({"detail":"not found"})", 404, "Not Found");
}

std::string wikipedia(const std::string& target) {
  if (target.find("list=search") != std::string::npos) return json_response(kLovelaceSearch);
  if (target.find("prop=extracts") != std::string::npos) return json_response(kLovelaceExtract);
  return json_response(R"({"error":{"code":"badvalue","info":"Unrecognized value."}})");
}

// A server whose search tools ask the given services (an empty URL: that tool is off).
TestServer server_searching(const std::string& searxng_url, const std::string& wikipedia_url,
                            std::int64_t timeout_ms = 5'000) {
  return TestServer([&](app::Config& c) {
    c.search.web_search_url = searxng_url;
    c.search.wikipedia_api_url = wikipedia_url;
    c.search.timeout_ms = timeout_ms;
  });
}

std::string friend_reply(TestServer& server, const std::string& message) {
  HttpClient client(server.port());
  auto token = register_user(client, "amy");
  auto res = client.post_json("/api/chat/send", json::object{{"message", message}}, bearer(token));
  EXPECT_EQ(res.status, 200) << res.body;
  if (res.status != 200) return "";
  return std::string(res.json().at("response").as_string());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct StreamEvent {
  std::string name;
  json::object data;
};

// The events of a YouWorker.AI stream up to done (or error).
std::vector<StreamEvent> youworker_stream(TestServer& server, const std::string& message) {
  HttpClient client(server.port());
  auto token = register_user(client, "yuki");
  json::object body{
      {"messages", json::array{json::object{{"role", "user"}, {"content", message}}}}};
  SseClient sse(server.port(), "POST", "/v1/chat/stream", json::serialize(body), bearer(token));
  EXPECT_EQ(sse.status(), 200);
  std::vector<StreamEvent> events;
  while (auto message = sse.next(10s)) {
    auto parsed = json::parse(message->data).as_object();
    events.push_back({std::string(parsed["event"].as_string()), parsed["data"].as_object()});
    if (events.back().name == "done" || events.back().name == "error") break;
  }
  return events;
}

}  // namespace

TEST(SearchTools, AskingToSearchTheWebRepliesWithTheResultAndItsAddress) {
  FakeSearchService service(searxng);
  auto server = server_searching(service.url("/"), "");
  std::string reply = friend_reply(server, "search the web for the tallest building in Paris");
  EXPECT_TRUE(contains(reply, "Tour Montparnasse - Wikipedia")) << reply;
  EXPECT_TRUE(contains(reply, "210-metre office skyscraper")) << reply;
  EXPECT_TRUE(contains(reply, "https://en.wikipedia.org/wiki/Tour_Montparnasse")) << reply;
  EXPECT_FALSE(contains(reply, "<b>")) << reply;
  auto seen = service.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/search?q=the%20tallest%20building%20in%20Paris&format=json");
  EXPECT_TRUE(seen[0].user_agent.starts_with("companion/")) << seen[0].user_agent;
}

TEST(SearchTools, AskingWhatWikipediaSaysQuotesTheArticlesOpening) {
  FakeSearchService wiki(wikipedia);
  auto server = server_searching("", wiki.url("/w/api.php"));
  std::string reply = friend_reply(server, "what does Wikipedia say about Ada Lovelace");
  EXPECT_TRUE(contains(reply,
                       "Augusta Ada King, Countess of Lovelace (née Byron; 10 December 1815 – "
                       "27 November 1852) was an English mathematician and writer"))
      << reply;
  EXPECT_TRUE(contains(reply, "(from Wikipedia: Ada Lovelace)")) << reply;
  auto seen = wiki.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(contains(seen[0].target, "srsearch=Ada%20Lovelace")) << seen[0].target;
  EXPECT_TRUE(contains(seen[1].target, "titles=Ada%20Lovelace")) << seen[1].target;
}

TEST(SearchTools, TheSearchIsStreamedAsToolEventsBeforeTheReply) {
  FakeSearchService service(searxng);
  auto server = server_searching(service.url("/"), "");
  auto events = youworker_stream(server, "search the web for the tallest building in Paris");
  ASSERT_FALSE(events.empty());
  std::vector<StreamEvent> tools;
  for (const auto& e : events)
    if (e.name == "tool") tools.push_back(e);
  ASSERT_EQ(tools.size(), 2u);
  EXPECT_EQ(tools[0].data["tool"], "web_search");
  EXPECT_EQ(tools[0].data["status"], "start");
  EXPECT_EQ(tools[0].data["args"].at("query"), "the tallest building in Paris");
  EXPECT_EQ(tools[1].data["status"], "end");
  EXPECT_TRUE(
      contains(std::string(tools[1].data["result_preview"].as_string()), "Tour Montparnasse"));
  ASSERT_EQ(events.back().name, "done");
  EXPECT_TRUE(
      contains(std::string(events.back().data["final_text"].as_string()), "Tour Montparnasse"));
}

TEST(SearchTools, AFailingServiceGetsAnApologyThatSaysWhatFailed) {
  FakeSearchService broken([](const std::string&) {
    return json_response("<h1>Internal Server Error</h1>", 500, "Internal Server Error");
  });
  auto server = server_searching(broken.url("/"), "");
  auto events = youworker_stream(server, "search the web for the tallest building in Paris");
  ASSERT_FALSE(events.empty());
  ASSERT_EQ(events.back().name, "done");
  std::string reply(events.back().data["final_text"].as_string());
  EXPECT_TRUE(contains(reply, "Sorry")) << reply;
  EXPECT_TRUE(contains(reply, "the search service answered HTTP 500")) << reply;
  bool failed_event = false;
  for (const auto& e : events)
    if (e.name == "tool" && e.data.at("status") == "error") failed_event = true;
  EXPECT_TRUE(failed_event);
}

TEST(SearchTools, AStalledServiceCostsNoMoreThanTheConfiguredTime) {
  FakeHttpServer stalled([](FakeConnection& c) { c.wait_for_close(); });
  auto server = server_searching("", stalled.url("/w/api.php"), 400);
  auto start = std::chrono::steady_clock::now();
  std::string reply = friend_reply(server, "what does Wikipedia say about Ada Lovelace");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(contains(reply, "Wikipedia did not answer within 400 ms")) << reply;
  EXPECT_LT(elapsed, 2000ms + 1000ms) << "registering the user included";
}

TEST(SearchTools, WithoutASearchServiceTheWebSearchToolIsNotOffered) {
  FakeSearchService service(searxng);
  auto server = server_searching("", "");
  HttpClient client(server.port());
  auto token = register_user(client, "noel");
  auto res = client.post_json(
      "/v1/chat/unified",
      json::object{{"text_input", "search the web for the tallest building in Paris"}},
      bearer(token));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(res.json().at("tool_events").as_array().empty()) << res.body;
  EXPECT_TRUE(service.requests().empty());
}
