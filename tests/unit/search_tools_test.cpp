// web_search and search_wikipedia as the model meets them, on fake search ports: the
// schemas it reads, the arguments it may get wrong, results shaped and bounded for it, and
// a failing service turned into a ToolError that says what failed.
#include "core/conversation/tools/search_tools.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/search/encyclopedia.hpp"
#include "core/search/web_searcher.hpp"

using namespace companion;
namespace json = boost::json;

namespace {

class FakeWebSearcher final : public core::WebSearcher {
 public:
  core::WebSearchResults answer;
  std::optional<core::SearchError> failure;
  mutable std::string asked_query;
  mutable std::size_t asked_limit = 0;

  core::WebSearchResults search(std::string_view query, std::size_t limit,
                                const core::CancellationToken&) const override {
    asked_query = std::string(query);
    asked_limit = limit;
    if (failure) throw *failure;
    return answer;
  }
};

class FakeEncyclopedia final : public core::Encyclopedia {
 public:
  core::EncyclopediaLookup answer;
  std::optional<core::SearchError> failure;
  mutable std::size_t asked_others = 0;

  core::EncyclopediaLookup look_up(std::string_view, std::size_t max_other_matches,
                                   const core::CancellationToken&) const override {
    asked_others = max_other_matches;
    if (failure) throw *failure;
    return answer;
  }
};

json::object invoke(core::Tool& tool, std::string_view arguments) {
  core::ToolContext context;
  return json::parse(tool.invoke(context, arguments)).as_object();
}

std::string tool_error_of(core::Tool& tool, std::string_view arguments) {
  try {
    invoke(tool, arguments);
  } catch (const core::ToolError& error) {
    return error.what();
  }
  ADD_FAILURE() << "the tool succeeded";
  return "";
}

core::WebSearchResults paris_results() {
  core::WebSearchResults found;
  found.results.push_back(
      {"Tour Montparnasse - Wikipedia", "https://en.wikipedia.org/wiki/Tour_Montparnasse",
       "The Tour Montparnasse is a 210-metre office skyscraper in Paris.", "duckduckgo"});
  found.results.push_back(
      {"Paris skyline", "https://example.org/skyline", "Why Paris limits building heights.", ""});
  return found;
}

}  // namespace

TEST(WebSearchTool, SchemaAsksForAQueryAndOffersAResultCount) {
  auto searcher = std::make_shared<FakeWebSearcher>();
  auto tool = core::make_web_search_tool(searcher, {.max_results = 7});
  EXPECT_EQ(tool->schema().name, "web_search");
  auto schema = json::parse(tool->schema().parameters_json).as_object();
  EXPECT_EQ(schema["required"], (json::array{"query"}));
  auto& properties = schema["properties"].as_object();
  EXPECT_EQ(properties["query"].at("type"), "string");
  EXPECT_EQ(properties["max_results"].at("type"), "integer");
  EXPECT_EQ(properties["max_results"].at("maximum"), 7);
}

TEST(WebSearchTool, ResultsCarryTitleAddressSnippetAndEngine) {
  auto searcher = std::make_shared<FakeWebSearcher>();
  searcher->answer = paris_results();
  auto tool = core::make_web_search_tool(searcher);
  auto result = invoke(*tool, R"({"query":"tallest building in Paris"})");
  EXPECT_EQ(searcher->asked_query, "tallest building in Paris");
  EXPECT_EQ(searcher->asked_limit, 5u);
  EXPECT_EQ(result["query"], "tallest building in Paris");
  auto& results = result["results"].as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].at("title"), "Tour Montparnasse - Wikipedia");
  EXPECT_EQ(results[0].at("url"), "https://en.wikipedia.org/wiki/Tour_Montparnasse");
  EXPECT_EQ(results[0].at("snippet"),
            "The Tour Montparnasse is a 210-metre office skyscraper in Paris.");
  EXPECT_EQ(results[0].at("engine"), "duckduckgo");
  EXPECT_FALSE(results[1].as_object().contains("engine"));
  EXPECT_FALSE(result.contains("answers"));
}

TEST(WebSearchTool, DirectAnswersAreHandedOn) {
  auto searcher = std::make_shared<FakeWebSearcher>();
  searcher->answer.answers = {"2 + 2 = 4"};
  auto tool = core::make_web_search_tool(searcher);
  auto result = invoke(*tool, R"({"query":"2+2"})");
  EXPECT_EQ(result["answers"], (json::array{"2 + 2 = 4"}));
  EXPECT_TRUE(result["results"].as_array().empty());
}

TEST(WebSearchTool, ResultCountIsKeptWithinTheOperatorsBound) {
  auto searcher = std::make_shared<FakeWebSearcher>();
  auto tool = core::make_web_search_tool(searcher, {.max_results = 5});
  invoke(*tool, R"({"query":"paris","max_results":2})");
  EXPECT_EQ(searcher->asked_limit, 2u);
  invoke(*tool, R"({"query":"paris","max_results":"3"})");
  EXPECT_EQ(searcher->asked_limit, 3u);
  invoke(*tool, R"({"query":"paris","max_results":1000})");
  EXPECT_EQ(searcher->asked_limit, 5u);
  invoke(*tool, R"({"query":"paris","max_results":0})");
  EXPECT_EQ(searcher->asked_limit, 1u);
  invoke(*tool, R"({"query":"paris","max_results":-4})");
  EXPECT_EQ(searcher->asked_limit, 1u);
}

TEST(WebSearchTool, LongSnippetsAreCutAtAWord) {
  auto searcher = std::make_shared<FakeWebSearcher>();
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "word" + std::to_string(i) + " ";
  searcher->answer.results.push_back({"A page", "https://example.org/a", long_text, ""});
  auto tool = core::make_web_search_tool(searcher, {.max_snippet_bytes = 120});
  auto result = invoke(*tool, R"({"query":"words"})");
  std::string snippet(result["results"].at(0).at("snippet").as_string());
  EXPECT_LE(snippet.size(), 120u);
  EXPECT_TRUE(snippet.ends_with("…")) << snippet;
  EXPECT_TRUE(snippet.starts_with("word0 word1 word2")) << snippet;
  std::string body = snippet.substr(0, snippet.size() - std::string("…").size());
  EXPECT_EQ(body.back() >= '0' && body.back() <= '9', true) << "cut between words: " << snippet;
}

TEST(WebSearchTool, AFailingServiceIsAToolErrorThatSaysWhatFailed) {
  auto searcher = std::make_shared<FakeWebSearcher>();
  searcher->failure = core::SearchError(core::SearchError::Kind::unavailable,
                                        "the search service answered HTTP 500");
  auto tool = core::make_web_search_tool(searcher);
  EXPECT_EQ(tool_error_of(*tool, R"({"query":"paris"})"), "the search service answered HTTP 500");
}

TEST(WebSearchTool, AMissingQueryIsAToolError) {
  auto tool = core::make_web_search_tool(std::make_shared<FakeWebSearcher>());
  EXPECT_EQ(tool_error_of(*tool, R"({"max_results":3})"), "missing required argument 'query'");
  EXPECT_EQ(tool_error_of(*tool, R"({"query":""})"), "missing required argument 'query'");
  EXPECT_EQ(tool_error_of(*tool, "[1,2]"), "arguments must be a JSON object");
}

TEST(WikipediaTool, AFoundArticleIsTitleExtractAddressAndOtherMatches) {
  auto encyclopedia = std::make_shared<FakeEncyclopedia>();
  encyclopedia->answer.article = core::EncyclopediaArticle{
      "Ada Lovelace",
      "Augusta Ada King, Countess of Lovelace, was an English mathematician and writer.",
      "https://en.wikipedia.org/wiki/Ada_Lovelace"};
  encyclopedia->answer.other_matches.push_back(
      {"Ada (programming language)", "named after Ada Lovelace",
       "https://en.wikipedia.org/wiki/Ada_(programming_language)"});
  auto tool = core::make_wikipedia_tool(encyclopedia);
  EXPECT_EQ(tool->schema().name, "search_wikipedia");
  auto result = invoke(*tool, R"({"query":"Ada Lovelace","max_results":3})");
  EXPECT_EQ(encyclopedia->asked_others, 2u);
  EXPECT_EQ(result["found"], true);
  EXPECT_EQ(result["title"], "Ada Lovelace");
  EXPECT_EQ(result["url"], "https://en.wikipedia.org/wiki/Ada_Lovelace");
  EXPECT_TRUE(result["extract"].as_string().starts_with("Augusta Ada King"));
  auto& others = result["other_matches"].as_array();
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0].at("title"), "Ada (programming language)");
  EXPECT_EQ(others[0].at("url"), "https://en.wikipedia.org/wiki/Ada_(programming_language)");
}

TEST(WikipediaTool, ALongIntroductionEndsAtASentence) {
  auto encyclopedia = std::make_shared<FakeEncyclopedia>();
  std::string extract;
  for (int i = 0; i < 40; ++i) extract += "This is sentence number " + std::to_string(i) + ". ";
  encyclopedia->answer.article = core::EncyclopediaArticle{"Long", extract, "https://x.org/Long"};
  auto tool = core::make_wikipedia_tool(encyclopedia, {.max_extract_bytes = 200});
  auto result = invoke(*tool, R"({"query":"long"})");
  std::string cut(result["extract"].as_string());
  EXPECT_LE(cut.size(), 200u);
  EXPECT_GE(cut.size(), 100u);
  EXPECT_TRUE(cut.ends_with(".")) << cut;
}

TEST(WikipediaTool, NothingFoundSaysSoWithTheQuery) {
  auto tool = core::make_wikipedia_tool(std::make_shared<FakeEncyclopedia>());
  auto result = invoke(*tool, R"({"query":"xqzzv"})");
  EXPECT_EQ(result["found"], false);
  EXPECT_EQ(result["query"], "xqzzv");
  EXPECT_FALSE(result.contains("extract"));
  EXPECT_TRUE(result["other_matches"].as_array().empty());
}

TEST(WikipediaTool, AFailingServiceIsAToolErrorThatSaysWhatFailed) {
  auto encyclopedia = std::make_shared<FakeEncyclopedia>();
  encyclopedia->failure =
      core::SearchError(core::SearchError::Kind::timeout, "Wikipedia did not answer within 8 s");
  auto tool = core::make_wikipedia_tool(encyclopedia);
  EXPECT_EQ(tool_error_of(*tool, R"({"query":"Ada Lovelace"})"),
            "Wikipedia did not answer within 8 s");
}
