#include "providers/search/searxng_search.hpp"

#include <boost/url/parse.hpp>
#include <stdexcept>

#include "providers/search/markup_text.hpp"
#include "providers/search/query_string.hpp"

namespace companion::providers {

namespace {

namespace json = boost::json;
using Kind = core::SearchError::Kind;

constexpr std::string_view kLabel = "the search service";

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? plain_text_from_markup(value->as_string()) : std::string();
}

const json::array* array_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_array() ? &value->as_array() : nullptr;
}

// Results are links a client may render: only web addresses pass.
std::string web_address(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value || !value->is_string()) return "";
  std::string url(value->as_string());
  return url.starts_with("https://") || url.starts_with("http://") ? url : std::string();
}

std::string search_endpoint_of(std::string base) {
  auto parsed = boost::urls::parse_uri(base);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
      parsed->encoded_host().empty())
    throw std::invalid_argument("the web search URL is not an http(s) URL: " + base);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base.ends_with("/search") ? base : base + "/search";
}

JsonEndpointOptions endpoint_options(const SearxngOptions& options) {
  JsonEndpointOptions out;
  out.label = std::string(kLabel);
  out.timeout = options.timeout;
  out.tls = options.tls;
  out.explain_status = [](int status) -> std::string {
    if (status == 403) return "is the json format enabled in its search.formats setting?";
    if (status == 429) return "its rate limiter turned the request away";
    return "";
  };
  return out;
}

std::optional<core::WebResult> result_from(const json::value& item) {
  if (!item.is_object()) return std::nullopt;
  const json::object& found = item.as_object();
  core::WebResult result;
  result.title = text_of(found, "title");
  result.url = web_address(found, "url");
  result.snippet = text_of(found, "content");
  result.engine = text_of(found, "engine");
  if (result.url.empty() || (result.title.empty() && result.snippet.empty())) return std::nullopt;
  return result;
}

// Older instances answer with strings, newer ones with {"answer": "...", "url": ...}.
std::string answer_from(const json::value& item) {
  if (item.is_string()) return plain_text_from_markup(item.as_string());
  if (item.is_object()) return text_of(item.as_object(), "answer");
  return "";
}

// An infobox (an encyclopedia card the instance assembled) as a result of its own.
std::optional<core::WebResult> infobox_result(const json::value& item) {
  if (!item.is_object()) return std::nullopt;
  const json::object& box = item.as_object();
  core::WebResult result;
  result.title = text_of(box, "infobox");
  result.snippet = text_of(box, "content");
  result.engine = text_of(box, "engine");
  result.url = web_address(box, "id");
  if (const json::array* urls = array_of(box, "urls")) {
    for (const auto& link : *urls) {
      if (!result.url.empty()) break;
      if (link.is_object()) result.url = web_address(link.as_object(), "url");
    }
  }
  if (result.url.empty() || result.snippet.empty()) return std::nullopt;
  return result;
}

// "google (timeout), bing (CAPTCHA)" from [["google", "timeout"], ["bing", "CAPTCHA"]].
std::string unresponsive_engines(const json::object& answer) {
  std::string out;
  if (const json::array* engines = array_of(answer, "unresponsive_engines")) {
    for (const auto& entry : *engines) {
      if (!entry.is_array() || entry.as_array().empty() || !entry.as_array()[0].is_string())
        continue;
      const json::array& pair = entry.as_array();
      if (!out.empty()) out += ", ";
      out += std::string(pair[0].as_string());
      if (pair.size() > 1 && pair[1].is_string() && !pair[1].as_string().empty())
        out += " (" + std::string(pair[1].as_string()) + ")";
    }
  }
  return out;
}

}  // namespace

core::WebSearchResults read_searxng_answer(const json::object& answer, std::size_t limit) {
  const json::array* results = array_of(answer, "results");
  if (!results)
    throw core::SearchError(Kind::bad_response,
                            std::string(kLabel) + " answered without a list of results");
  core::WebSearchResults out;
  for (const auto& item : *results) {
    if (out.results.size() >= limit) break;
    if (auto result = result_from(item)) out.results.push_back(std::move(*result));
  }
  if (const json::array* answers = array_of(answer, "answers")) {
    for (const auto& item : *answers) {
      std::string text = answer_from(item);
      if (!text.empty()) out.answers.push_back(std::move(text));
    }
  }
  // A query that only an infobox answers ("Eiffel Tower" on some engine mixes) still has
  // an answer; when there are results, they already cover it.
  if (out.results.empty()) {
    if (const json::array* boxes = array_of(answer, "infoboxes")) {
      for (const auto& item : *boxes) {
        if (out.results.size() >= limit) break;
        if (auto result = infobox_result(item)) out.results.push_back(std::move(*result));
      }
    }
  }
  if (out.results.empty() && out.answers.empty()) {
    std::string failed = unresponsive_engines(answer);
    if (!failed.empty())
      throw core::SearchError(Kind::unavailable, "the engines behind " + std::string(kLabel) +
                                                     " did not answer: " + failed);
  }
  return out;
}

SearxngSearch::SearxngSearch(SearxngOptions options)
    : search_endpoint_(search_endpoint_of(std::move(options.base_url))),
      endpoint_(endpoint_options(options)) {}

std::string SearxngSearch::search_url(std::string_view query) const {
  return url_with_query(search_endpoint_, {{"q", query}, {"format", "json"}});
}

core::WebSearchResults SearxngSearch::search(std::string_view query, std::size_t limit,
                                             const core::CancellationToken& cancellation) const {
  auto answer = endpoint_.get(search_url(query), endpoint_.deadline_from_now(), cancellation);
  return read_searxng_answer(answer, limit);
}

}  // namespace companion::providers
