// Web search through SearxNG's JSON API against a local service that answers as a real
// instance does: results read as plain text, the query encoded on the way out, error
// statuses, broken bodies, stalls and cancellation turned into errors that say what failed.
#include "providers/search/searxng_search.hpp"

#include <gtest/gtest.h>

#include <future>

#include "support/fake_search_service.hpp"

using namespace std::chrono_literals;
using companion::core::CancellationToken;
using companion::core::SearchError;
using companion::core::WebSearchResults;
using companion::providers::SearxngOptions;
using companion::providers::SearxngSearch;
using companion::testing::FakeConnection;
using companion::testing::FakeHttpServer;
using companion::testing::FakeSearchService;
using companion::testing::json_response;
using Kind = SearchError::Kind;

namespace {

// What an instance answers for "tallest building in Paris", trimmed to three results.
const std::string kParisAnswer = R"({
  "query": "tallest building in Paris",
  "number_of_results": 0,
  "results": [
    {"url": "https://en.wikipedia.org/wiki/Tour_Montparnasse",
     "title": "Tour Montparnasse - Wikipedia",
     "content": "The <b>Tour Montparnasse</b> is a 210-metre office skyscraper in the Montparnasse area of Paris. It was the tallest building in France until 2011 &amp; remains the tallest within the city.",
     "publishedDate": null, "thumbnail": "", "engine": "duckduckgo", "template": "default.html",
     "parsed_url": ["https", "en.wikipedia.org", "/wiki/Tour_Montparnasse", "", "", ""],
     "img_src": "", "priority": "", "engines": ["duckduckgo", "brave"], "positions": [1, 1],
     "score": 4.0, "category": "general"},
    {"url": "https://www.emporis.example/buildings/paris",
     "title": "Tallest buildings in Paris &quot;2024&quot;",
     "content": "A list of the tallest buildings in Paris and La D\u00e9fense.",
     "engine": "brave", "engines": ["brave"], "positions": [2], "score": 0.5,
     "category": "general"},
    {"url": "https://example.org/skyline",
     "title": "Paris skyline",
     "content": "Why Paris limits the height of new buildings.",
     "engine": "google", "engines": ["google"], "positions": [3], "score": 0.33,
     "category": "general"}
  ],
  "answers": [],
  "corrections": [],
  "infoboxes": [],
  "suggestions": ["tallest building in paris 2024"],
  "unresponsive_engines": []
})";

SearxngOptions options_for(const std::string& base, std::chrono::milliseconds timeout = 5s) {
  SearxngOptions options;
  options.base_url = base;
  options.timeout = timeout;
  return options;
}

// The error a search fails with; fails the test when it succeeds.
template <class Call>
SearchError failure_of(Call call) {
  try {
    call();
  } catch (const SearchError& error) {
    return error;
  }
  ADD_FAILURE() << "the search succeeded";
  return SearchError(Kind::bad_response, "");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST(SearxngSearch, ReadsResultsAsPlainTextInTheServicesOrder) {
  FakeSearchService service([](const std::string&) { return json_response(kParisAnswer); });
  SearxngSearch search(options_for(service.url("")));
  WebSearchResults found = search.search("tallest building in Paris", 5, {});
  ASSERT_EQ(found.results.size(), 3u);
  EXPECT_EQ(found.results[0].title, "Tour Montparnasse - Wikipedia");
  EXPECT_EQ(found.results[0].url, "https://en.wikipedia.org/wiki/Tour_Montparnasse");
  EXPECT_EQ(found.results[0].snippet,
            "The Tour Montparnasse is a 210-metre office skyscraper in the Montparnasse area of "
            "Paris. It was the tallest building in France until 2011 & remains the tallest "
            "within the city.");
  EXPECT_EQ(found.results[0].engine, "duckduckgo");
  EXPECT_EQ(found.results[1].title, "Tallest buildings in Paris \"2024\"");
  EXPECT_EQ(found.results[1].snippet, "A list of the tallest buildings in Paris and La Défense.");
  EXPECT_TRUE(found.answers.empty());
}

TEST(SearxngSearch, AsksForJsonAtTheSearchPathWithTheQueryEncoded) {
  FakeSearchService service([](const std::string&) { return json_response(kParisAnswer); });
  SearxngSearch search(options_for(service.url("/")));
  search.search("café & crème brûlée + C++ 100%", 5, {});
  auto seen = service.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target,
            "/search?q=caf%C3%A9%20%26%20cr%C3%A8me%20br%C3%BBl%C3%A9e%20%2B%20C%2B%2B%20100%25"
            "&format=json");
  EXPECT_TRUE(contains(seen[0].accept, "application/json"));
  EXPECT_TRUE(seen[0].user_agent.starts_with("companion/")) << seen[0].user_agent;
}

TEST(SearxngSearch, AnInstanceUnderAPathOrGivenWithItsSearchPathIsAskedThere) {
  FakeSearchService service([](const std::string&) { return json_response(kParisAnswer); });
  SearxngSearch under_path(options_for(service.url("/searx/")));
  under_path.search("paris", 5, {});
  SearxngSearch with_search(options_for(service.url("/searx/search")));
  with_search.search("paris", 5, {});
  auto seen = service.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].target, "/searx/search?q=paris&format=json");
  EXPECT_EQ(seen[1].target, "/searx/search?q=paris&format=json");
}

TEST(SearxngSearch, ReturnsNoMoreThanTheLimit) {
  FakeSearchService service([](const std::string&) { return json_response(kParisAnswer); });
  SearxngSearch search(options_for(service.url("")));
  auto found = search.search("tallest building in Paris", 2, {});
  ASSERT_EQ(found.results.size(), 2u);
  EXPECT_EQ(found.results[1].url, "https://www.emporis.example/buildings/paris");
}

TEST(SearxngSearch, NoResultsIsAnEmptyAnswerNotAnError) {
  FakeSearchService service([](const std::string&) {
    return json_response(R"({"query":"xqzzv","number_of_results":0,"results":[],"answers":[],)"
                         R"("corrections":[],"infoboxes":[],"suggestions":[],)"
                         R"("unresponsive_engines":[]})");
  });
  SearxngSearch search(options_for(service.url("")));
  auto found = search.search("xqzzv", 5, {});
  EXPECT_TRUE(found.results.empty());
  EXPECT_TRUE(found.answers.empty());
}

TEST(SearxngSearch, DirectAnswersAreReadInBothOfTheirForms) {
  FakeSearchService service([](const std::string&) {
    return json_response(
        R"({"query":"2+2","results":[],"infoboxes":[],"unresponsive_engines":[],)"
        R"json("answers":["2 + 2 = 4",{"answer":"4 (four)","url":"https://example.org/math",)json"
        R"("engine":"calculator"}]})");
  });
  SearxngSearch search(options_for(service.url("")));
  auto found = search.search("2+2", 5, {});
  EXPECT_EQ(found.answers, (std::vector<std::string>{"2 + 2 = 4", "4 (four)"}));
}

TEST(SearxngSearch, AnInfoboxAnswersWhenThereAreNoResults) {
  FakeSearchService service([](const std::string&) {
    return json_response(
        R"({"query":"eiffel tower","results":[],"answers":[],"unresponsive_engines":[],)"
        R"("infoboxes":[{"infobox":"Eiffel Tower","id":"https://en.wikipedia.org/wiki/Eiffel_Tower",)"
        R"("content":"The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in )"
        R"(Paris.","img_src":null,"urls":[{"title":"Official website",)"
        R"("url":"https://www.toureiffel.paris/en"}],"engine":"wikipedia","engines":["wikipedia"]}]})");
  });
  SearxngSearch search(options_for(service.url("")));
  auto found = search.search("eiffel tower", 5, {});
  ASSERT_EQ(found.results.size(), 1u);
  EXPECT_EQ(found.results[0].title, "Eiffel Tower");
  EXPECT_EQ(found.results[0].url, "https://en.wikipedia.org/wiki/Eiffel_Tower");
  EXPECT_TRUE(found.results[0].snippet.starts_with("The Eiffel Tower is a wrought-iron"));
}

TEST(SearxngSearch, ResultsWithoutAWebAddressAreLeftOut) {
  FakeSearchService service([](const std::string&) {
    return json_response(
        R"json({"results":[{"url":"javascript:alert(1)","title":"Click me","content":"x"},)json"
        R"({"title":"No address","content":"y"},)"
        R"({"url":"https://example.org/a","title":"Kept","content":"z","engine":"brave"}]})");
  });
  SearxngSearch search(options_for(service.url("")));
  auto found = search.search("anything", 5, {});
  ASSERT_EQ(found.results.size(), 1u);
  EXPECT_EQ(found.results[0].title, "Kept");
}

TEST(SearxngSearch, EnginesThatAllFailedAreAnErrorThatNamesThem) {
  FakeSearchService service([](const std::string&) {
    return json_response(R"({"query":"paris","results":[],"answers":[],"infoboxes":[],)"
                         R"("unresponsive_engines":[["google","timeout"],["brave","CAPTCHA"]]})");
  });
  SearxngSearch search(options_for(service.url("")));
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_TRUE(contains(error.what(), "google (timeout), brave (CAPTCHA)")) << error.what();
}

TEST(SearxngSearch, AServerErrorSaysWhichStatusCameBack) {
  FakeSearchService service([](const std::string&) {
    return json_response("<html><body>Internal Server Error</body></html>", 500,
                         "Internal Server Error");
  });
  SearxngSearch search(options_for(service.url("")));
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_EQ(std::string(error.what()), "the search service answered HTTP 500");
}

TEST(SearxngSearch, ForbiddenJsonPointsAtTheInstancesFormatsSetting) {
  FakeSearchService service(
      [](const std::string&) { return json_response("Forbidden", 403, "FORBIDDEN"); });
  SearxngSearch search(options_for(service.url("")));
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  EXPECT_TRUE(contains(error.what(), "HTTP 403")) << error.what();
  EXPECT_TRUE(contains(error.what(), "search.formats")) << error.what();
}

TEST(SearxngSearch, ARedirectIsNotFollowed) {
  FakeSearchService service([](const std::string&) {
    return "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data\r\n"
           "Content-Length: 0\r\n\r\n";
  });
  SearxngSearch search(options_for(service.url("")));
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  EXPECT_TRUE(contains(error.what(), "HTTP 302")) << error.what();
  EXPECT_EQ(service.requests().size(), 1u);
}

TEST(SearxngSearch, MalformedJsonIsABadResponse) {
  FakeSearchService service(
      [](const std::string&) { return json_response(R"({"results": [{"title": "Tour)"); });
  SearxngSearch search(options_for(service.url("")));
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  EXPECT_EQ(error.kind(), Kind::bad_response);
  EXPECT_TRUE(contains(error.what(), "JSON")) << error.what();
}

TEST(SearxngSearch, JsonWithoutResultsIsABadResponse) {
  FakeSearchService service(
      [](const std::string&) { return json_response(R"({"error":"unknown format"})"); });
  SearxngSearch search(options_for(service.url("")));
  EXPECT_EQ(failure_of([&] { search.search("paris", 5, {}); }).kind(), Kind::bad_response);
}

TEST(SearxngSearch, AStallPastTheTimeoutEndsPromptlyWithATimeout) {
  FakeHttpServer stalled([](FakeConnection& c) { c.wait_for_close(); });
  SearxngSearch search(options_for(stalled.url("/"), 300ms));
  auto start = std::chrono::steady_clock::now();
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(error.kind(), Kind::timeout) << error.what();
  EXPECT_EQ(std::string(error.what()), "the search service did not answer within 300 ms");
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 1500ms);
}

TEST(SearxngSearch, AStallAfterTheHeadersAlsoEndsAtTheTimeout) {
  FakeHttpServer stalled([](FakeConnection& c) {
    c.send(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
        R"({"results": [)");
    c.wait_for_close();
  });
  SearxngSearch search(options_for(stalled.url("/"), 300ms));
  auto start = std::chrono::steady_clock::now();
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  EXPECT_EQ(error.kind(), Kind::timeout) << error.what();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
}

TEST(SearxngSearch, CancellingStopsTheRequestAndClosesTheConnection) {
  std::promise<void> asked;
  std::promise<bool> closed;
  FakeHttpServer stalled([&](FakeConnection& c) {
    asked.set_value();
    closed.set_value(c.wait_for_close(5s));
  });
  SearxngSearch search(options_for(stalled.url("/"), 30s));
  CancellationToken token;
  auto call = std::async(std::launch::async,
                         [&] { return failure_of([&] { search.search("paris", 5, token); }); });
  asked.get_future().wait();
  auto start = std::chrono::steady_clock::now();
  token.cancel();
  auto error = call.get();
  EXPECT_EQ(error.kind(), Kind::cancelled) << error.what();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(closed.get_future().get());
}

TEST(SearxngSearch, AnUnreachableServiceIsUnavailable) {
  std::string url;
  {
    FakeHttpServer gone([](FakeConnection&) {});
    url = gone.url("/");
  }
  SearxngSearch search(options_for(url));
  auto error = failure_of([&] { search.search("paris", 5, {}); });
  EXPECT_EQ(error.kind(), Kind::unavailable);
  EXPECT_TRUE(contains(error.what(), "could not be reached")) << error.what();
}

TEST(SearxngSearch, ABaseUrlThatIsNotAWebAddressIsRefused) {
  EXPECT_THROW(SearxngSearch(options_for("")), std::invalid_argument);
  EXPECT_THROW(SearxngSearch(options_for("127.0.0.1:8888")), std::invalid_argument);
  EXPECT_THROW(SearxngSearch(options_for("file:///etc/passwd")), std::invalid_argument);
}
