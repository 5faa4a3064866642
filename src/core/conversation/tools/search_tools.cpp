#include "core/conversation/tools/search_tools.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "core/conversation/tools/tool_arguments.hpp"
#include "core/search/bounded_text.hpp"
#include "core/search/encyclopedia.hpp"
#include "core/search/web_searcher.hpp"

namespace companion::core {
namespace {

namespace json = boost::json;

std::string search_parameters(std::size_t max_results, std::string_view query_description) {
  json::object query{{"type", "string"}, {"description", query_description}};
  json::object count{
      {"type", "integer"},
      {"minimum", 1},
      {"maximum", max_results},
      {"description", "how many results to return (default " + std::to_string(max_results) + ")"}};
  json::object schema{{"type", "object"},
                      {"properties", json::object{{"query", query}, {"max_results", count}}},
                      {"required", json::array{"query"}}};
  return to_json_text(schema);
}

// What the call asked for, within what the operator allows; models write 0, -3 or 1e9 too.
std::size_t result_count(const json::object& args, std::size_t max_results) {
  auto asked = optional_number(args, "max_results");
  if (!asked || !std::isfinite(*asked)) return max_results;
  double bounded = std::clamp(std::floor(*asked), 1.0, static_cast<double>(max_results));
  return static_cast<std::size_t>(bounded);
}

SearchToolLimits at_least_one_result(SearchToolLimits limits) {
  limits.max_results = std::max<std::size_t>(limits.max_results, 1);
  return limits;
}

// The model reads the message; the turn goes on.
[[noreturn]] void fail_with(const SearchError& error) {
  throw ToolError(error.what());
}

class WebSearchTool final : public Tool {
 public:
  WebSearchTool(std::shared_ptr<WebSearcher> searcher, SearchToolLimits limits)
      : searcher_(std::move(searcher)), limits_(at_least_one_result(limits)) {
    schema_.name = std::string(web_search_tool_name);
    schema_.description =
        "Search the web for current information. Returns titles, short summaries and the "
        "address of each page; mention where an answer comes from.";
    schema_.parameters_json = search_parameters(limits_.max_results, "what to search for");
  }
  const ToolSchema& schema() const override { return schema_; }

  std::string invoke(const ToolContext& context, std::string_view arguments_json) override {
    auto args = parse_tool_arguments(arguments_json);
    std::string query = required_string(args, "query");
    WebSearchResults found;
    try {
      found =
          searcher_->search(query, result_count(args, limits_.max_results), context.cancellation);
    } catch (const SearchError& error) {
      fail_with(error);
    }
    json::object out{{"query", query}, {"results", results_of(found)}};
    if (!found.answers.empty()) out["answers"] = answers_of(found);
    return to_json_text(out);
  }

 private:
  json::array results_of(const WebSearchResults& found) const {
    json::array results;
    for (const auto& result : found.results) {
      json::object item{{"title", cut_at_word(result.title, limits_.max_snippet_bytes)},
                        {"url", result.url},
                        {"snippet", cut_at_word(result.snippet, limits_.max_snippet_bytes)}};
      if (!result.engine.empty()) item["engine"] = result.engine;
      results.push_back(std::move(item));
    }
    return results;
  }

  json::array answers_of(const WebSearchResults& found) const {
    json::array answers;
    for (const auto& answer : found.answers)
      answers.push_back(json::string(cut_at_word(answer, limits_.max_snippet_bytes)));
    return answers;
  }

  std::shared_ptr<WebSearcher> searcher_;
  SearchToolLimits limits_;
  ToolSchema schema_;
};

class WikipediaTool final : public Tool {
 public:
  WikipediaTool(std::shared_ptr<Encyclopedia> encyclopedia, SearchToolLimits limits)
      : encyclopedia_(std::move(encyclopedia)), limits_(at_least_one_result(limits)) {
    schema_.name = std::string(wikipedia_tool_name);
    schema_.description =
        "Look a subject up on Wikipedia. Returns the introduction of the best-matching "
        "article with its title and address, and the titles of other matching articles.";
    schema_.parameters_json = search_parameters(
        limits_.max_results, "the subject to look up, e.g. a person, place or thing");
  }
  const ToolSchema& schema() const override { return schema_; }

  std::string invoke(const ToolContext& context, std::string_view arguments_json) override {
    auto args = parse_tool_arguments(arguments_json);
    std::string query = required_string(args, "query");
    // The article read counts as one of the results asked for.
    std::size_t others = result_count(args, limits_.max_results) - 1;
    EncyclopediaLookup lookup;
    try {
      lookup = encyclopedia_->look_up(query, others, context.cancellation);
    } catch (const SearchError& error) {
      fail_with(error);
    }
    json::object out{{"query", query}, {"found", lookup.article.has_value()}};
    if (lookup.article) {
      out["title"] = lookup.article->title;
      out["extract"] = cut_at_sentence(lookup.article->extract, limits_.max_extract_bytes);
      out["url"] = lookup.article->url;
    }
    out["other_matches"] = matches_of(lookup);
    return to_json_text(out);
  }

 private:
  json::array matches_of(const EncyclopediaLookup& lookup) const {
    json::array matches;
    for (const auto& match : lookup.other_matches)
      matches.push_back(
          json::object{{"title", match.title},
                       {"snippet", cut_at_word(match.snippet, limits_.max_snippet_bytes)},
                       {"url", match.url}});
    return matches;
  }

  std::shared_ptr<Encyclopedia> encyclopedia_;
  SearchToolLimits limits_;
  ToolSchema schema_;
};

}  // namespace

std::shared_ptr<Tool> make_web_search_tool(std::shared_ptr<WebSearcher> searcher,
                                           SearchToolLimits limits) {
  return std::make_shared<WebSearchTool>(std::move(searcher), limits);
}

std::shared_ptr<Tool> make_wikipedia_tool(std::shared_ptr<Encyclopedia> encyclopedia,
                                          SearchToolLimits limits) {
  return std::make_shared<WikipediaTool>(std::move(encyclopedia), limits);
}

}  // namespace companion::core
