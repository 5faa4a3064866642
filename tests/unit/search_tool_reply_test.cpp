// The offline engine with the search tools, as a user meets it: a request to search the web
// or Wikipedia becomes a call with the subject as its query, and what the tool returned
// becomes a reply that quotes it and says where it came from — or that says what failed.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/conversation/tools/search_tools.hpp"
#include "core/search/encyclopedia.hpp"
#include "core/search/web_searcher.hpp"
#include "providers/llm/offline_provider.hpp"

using namespace companion;
using providers::llm::OfflineProvider;

namespace {

class OneAnswerSearcher final : public core::WebSearcher {
 public:
  explicit OneAnswerSearcher(core::WebSearchResults answer) : answer_(std::move(answer)) {}
  core::WebSearchResults search(std::string_view, std::size_t,
                                const core::CancellationToken&) const override {
    return answer_;
  }

 private:
  core::WebSearchResults answer_;
};

class OneArticleEncyclopedia final : public core::Encyclopedia {
 public:
  explicit OneArticleEncyclopedia(core::EncyclopediaLookup answer) : answer_(std::move(answer)) {}
  core::EncyclopediaLookup look_up(std::string_view, std::size_t,
                                   const core::CancellationToken&) const override {
    return answer_;
  }

 private:
  core::EncyclopediaLookup answer_;
};

core::GenerationRequest request_for(const std::string& text, const core::Grounding& grounding) {
  core::GenerationRequest request;
  request.model = "companion";
  request.messages.push_back({core::ChatRole::User, text});
  request.grounding = &grounding;
  return request;
}

core::GenerationResult generate(const core::GenerationRequest& request) {
  OfflineProvider provider;
  return provider.generate(request, [](const core::GenerationEvent&) { return true; });
}

// The call the engine plans for `text` when `tool` is offered; nullopt when it plans none.
std::optional<core::ToolCall> planned_call(const std::string& text, const std::string& tool) {
  core::Grounding grounding;
  grounding.tools = {tool};
  auto result = generate(request_for(text, grounding));
  if (result.tool_calls.empty()) return std::nullopt;
  return result.tool_calls.front();
}

std::string query_of(const core::ToolCall& call) {
  auto args = boost::json::parse(call.arguments_json).as_object();
  return std::string(args.at("query").as_string());
}

// Plans the call for `text`, runs `tool` with its arguments as the turn pipeline does, and
// returns the reply the engine writes from the result (or from the error).
std::string reply_after_tool(const std::string& text, core::Tool& tool) {
  core::Grounding grounding;
  grounding.tools = {tool.schema().name};
  auto request = request_for(text, grounding);
  auto first = generate(request);
  EXPECT_EQ(first.tool_calls.size(), 1u) << text;
  if (first.tool_calls.empty()) return "";
  const auto& call = first.tool_calls.front();
  std::string output;
  try {
    output = tool.invoke(core::ToolContext{}, call.arguments_json);
  } catch (const core::ToolError& error) {
    output = boost::json::serialize(boost::json::object{{"error", error.what()}});
  }
  core::ChatMessage assistant{core::ChatRole::Assistant, ""};
  assistant.tool_calls.push_back(call);
  request.messages.push_back(assistant);
  core::ChatMessage result{core::ChatRole::Tool, output};
  result.tool_call_id = call.id;
  result.name = call.name;
  request.messages.push_back(result);
  return generate(request).text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class FailingSearcher final : public core::WebSearcher {
 public:
  core::WebSearchResults search(std::string_view, std::size_t,
                                const core::CancellationToken&) const override {
    throw core::SearchError(core::SearchError::Kind::unavailable,
                            "the search service answered HTTP 500");
  }
};

}  // namespace

TEST(SearchToolReplies, ARequestToSearchTheWebIsPlannedWithItsSubject) {
  for (auto [text, query] : std::vector<std::pair<std::string, std::string>>{
           {"search the web for the tallest building in Paris", "the tallest building in Paris"},
           {"Search the web for the tallest building in Paris.", "the tallest building in Paris"},
           {"can you search the web for the tallest building in Paris?",
            "the tallest building in Paris"},
           {"look up the tallest building in Paris online", "the tallest building in Paris"},
           {"google the tallest building in Paris", "the tallest building in Paris"}}) {
    auto call = planned_call(text, "web_search");
    ASSERT_TRUE(call.has_value()) << text;
    EXPECT_EQ(call->name, "web_search") << text;
    EXPECT_EQ(query_of(*call), query) << text;
  }
}

TEST(SearchToolReplies, ARequestForWikipediaIsPlannedWithItsSubject) {
  for (const char* text :
       {"what does Wikipedia say about Ada Lovelace", "What does Wikipedia say about Ada Lovelace?",
        "look up Ada Lovelace on Wikipedia", "search wikipedia for Ada Lovelace",
        "according to Wikipedia, who was Ada Lovelace?"}) {
    auto call = planned_call(text, "search_wikipedia");
    ASSERT_TRUE(call.has_value()) << text;
    EXPECT_EQ(call->name, "search_wikipedia") << text;
    EXPECT_EQ(query_of(*call), "Ada Lovelace") << text;
  }
}

TEST(SearchToolReplies, WebResultsAreQuotedWithTheirAddresses) {
  core::WebSearchResults found;
  found.results.push_back(
      {"Tour Montparnasse - Wikipedia", "https://en.wikipedia.org/wiki/Tour_Montparnasse",
       "The Tour Montparnasse is a 210-metre office skyscraper in Paris.", "duckduckgo"});
  auto tool = core::make_web_search_tool(std::make_shared<OneAnswerSearcher>(found));
  std::string reply = reply_after_tool("search the web for the tallest building in Paris", *tool);
  EXPECT_TRUE(contains(reply, "Tour Montparnasse - Wikipedia")) << reply;
  EXPECT_TRUE(contains(reply, "210-metre office skyscraper")) << reply;
  EXPECT_TRUE(contains(reply, "(https://en.wikipedia.org/wiki/Tour_Montparnasse)")) << reply;
}

TEST(SearchToolReplies, ADirectAnswerComesFirst) {
  core::WebSearchResults found;
  found.answers = {"2 + 2 = 4"};
  found.results.push_back({"Addition", "https://example.org/addition", "Adding numbers.", ""});
  auto tool = core::make_web_search_tool(std::make_shared<OneAnswerSearcher>(found));
  std::string reply = reply_after_tool("search the web for 2+2", *tool);
  ASSERT_TRUE(contains(reply, "2 + 2 = 4")) << reply;
  EXPECT_LT(reply.find("2 + 2 = 4"), reply.find("Addition")) << reply;
}

TEST(SearchToolReplies, NothingFoundOnTheWebSaysSo) {
  auto tool =
      core::make_web_search_tool(std::make_shared<OneAnswerSearcher>(core::WebSearchResults{}));
  std::string reply = reply_after_tool("search the web for xqzzv qqq", *tool);
  EXPECT_TRUE(contains(reply, "found nothing useful")) << reply;
  EXPECT_TRUE(contains(reply, "xqzzv qqq")) << reply;
}

TEST(SearchToolReplies, AFailedSearchIsAnApologyThatSaysWhatFailed) {
  auto tool = core::make_web_search_tool(std::make_shared<FailingSearcher>());
  std::string reply = reply_after_tool("search the web for the tallest building in Paris", *tool);
  EXPECT_TRUE(contains(reply, "Sorry")) << reply;
  EXPECT_TRUE(contains(reply, "the search service answered HTTP 500")) << reply;
}

TEST(SearchToolReplies, AWikipediaArticleIsQuotedFromItsOpening) {
  core::EncyclopediaLookup lookup;
  lookup.article = core::EncyclopediaArticle{
      "Ada Lovelace",
      "Augusta Ada King, Countess of Lovelace was an English mathematician and writer. She was "
      "the first to recognise that the machine had applications beyond pure calculation. "
      "Lovelace was the only legitimate child of poet Lord Byron.",
      "https://en.wikipedia.org/wiki/Ada_Lovelace"};
  auto tool = core::make_wikipedia_tool(std::make_shared<OneArticleEncyclopedia>(lookup));
  std::string reply = reply_after_tool("what does Wikipedia say about Ada Lovelace", *tool);
  EXPECT_TRUE(contains(reply,
                       "Augusta Ada King, Countess of Lovelace was an English "
                       "mathematician and writer."))
      << reply;
  EXPECT_TRUE(contains(reply, "(from Wikipedia: Ada Lovelace)")) << reply;
  EXPECT_FALSE(contains(reply, "Lord Byron")) << "two sentences at most: " << reply;
}

TEST(SearchToolReplies, NoArticleSaysSoWithTheSubject) {
  auto tool = core::make_wikipedia_tool(
      std::make_shared<OneArticleEncyclopedia>(core::EncyclopediaLookup{}));
  std::string reply = reply_after_tool("what does Wikipedia say about Xqzzv Qqq", *tool);
  EXPECT_TRUE(contains(reply, "doesn't seem to have an article on Xqzzv Qqq")) << reply;
}
