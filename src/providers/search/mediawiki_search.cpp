#include "providers/search/mediawiki_search.hpp"

#include <boost/url/parse.hpp>
#include <stdexcept>

#include "providers/search/markup_text.hpp"
#include "providers/search/query_string.hpp"

namespace companion::providers {

namespace {

namespace json = boost::json;
using Kind = core::SearchError::Kind;

// CirrusSearch, Wikipedia's search backend, refuses queries longer than 300 characters.
constexpr std::size_t kMaxQueryBytes = 300;

struct SearchHit {
  std::string title;
  std::string snippet;  // plain text
};

std::string string_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

const json::object* object_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_object() ? &value->as_object() : nullptr;
}

bool is_web_address(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// "https://en.wikipedia.org" from "https://en.wikipedia.org/w/api.php".
std::string site_root_of(std::string_view api_url) {
  auto parsed = boost::urls::parse_uri(api_url);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
      parsed->encoded_host().empty())
    throw std::invalid_argument("the encyclopedia API URL is not an http(s) URL: " +
                                std::string(api_url));
  std::string root(parsed->scheme());
  root.append("://").append(parsed->encoded_host());
  if (parsed->has_port()) root.append(":").append(parsed->port());
  return root;
}

JsonEndpointOptions endpoint_options(const MediaWikiOptions& options) {
  JsonEndpointOptions out;
  out.label = options.site_name;
  out.timeout = options.timeout;
  out.tls = options.tls;
  out.user_agent = options.user_agent;
  out.explain_status = [](int status) -> std::string {
    if (status == 429) return "too many requests; try again in a while";
    return "";
  };
  return out;
}

// The API reports refusals (a bad parameter, lag, a blocked client) with HTTP 200 and
// {"error": {"code", "info"}}.
void throw_if_refused(const json::object& answer, const std::string& site) {
  const json::object* error = object_of(answer, "error");
  if (!error) return;
  std::string info = string_of(*error, "info");
  if (info.empty()) info = string_of(*error, "code");
  throw core::SearchError(Kind::unavailable, site + " refused the request: " + info);
}

std::vector<SearchHit> read_search_hits(const json::object& answer, const std::string& site) {
  throw_if_refused(answer, site);
  const json::object* query = object_of(answer, "query");
  const json::value* search = query ? query->if_contains("search") : nullptr;
  if (!search || !search->is_array())
    throw core::SearchError(Kind::bad_response, site + " answered without search results");
  std::vector<SearchHit> hits;
  for (const auto& item : search->as_array()) {
    if (!item.is_object()) continue;
    SearchHit hit{string_of(item.as_object(), "title"),
                  plain_text_from_markup(string_of(item.as_object(), "snippet"))};
    if (!hit.title.empty()) hits.push_back(std::move(hit));
  }
  return hits;
}

// The first page that exists: formatversion 1 keys pages by id ("-1" for a missing one),
// formatversion 2 lists them.
const json::object* first_existing_page(const json::object& query) {
  const json::value* pages = query.if_contains("pages");
  if (!pages) return nullptr;
  auto exists = [](const json::value& page) {
    return page.is_object() && !page.as_object().contains("missing") &&
           !page.as_object().contains("invalid");
  };
  if (pages->is_object()) {
    for (const auto& entry : pages->as_object())
      if (exists(entry.value())) return &entry.value().as_object();
  } else if (pages->is_array()) {
    for (const auto& page : pages->as_array())
      if (exists(page)) return &page.as_object();
  }
  return nullptr;
}

// The query, cut at a word when it is too long for the search backend.
std::string_view within_query_limit(std::string_view query) {
  if (query.size() <= kMaxQueryBytes) return query;
  std::size_t end = query.substr(0, kMaxQueryBytes + 1).rfind(' ');
  if (end == std::string_view::npos || end == 0) {
    end = kMaxQueryBytes;
    while (end > 0 && (static_cast<unsigned char>(query[end]) & 0xC0) == 0x80) --end;
  }
  return query.substr(0, end);
}

std::string encode_title_character(unsigned char c) {
  // MediaWiki leaves these readable in its own links (wfUrlencode); the rest is encoded.
  static constexpr std::string_view kKept = ";@$!*(),/~:";
  if (kKept.find(static_cast<char>(c)) != std::string_view::npos) return std::string(1, c);
  return percent_encode(std::string_view(reinterpret_cast<const char*>(&c), 1));
}

}  // namespace

std::string wiki_article_url(std::string_view site_root, std::string_view title) {
  std::string url = std::string(site_root) + "/wiki/";
  for (char c : title) url += c == ' ' ? std::string("_") : encode_title_character(c);
  return url;
}

MediaWikiSearch::MediaWikiSearch(MediaWikiOptions options)
    : api_url_(options.api_url),
      site_root_(site_root_of(options.api_url)),
      endpoint_(endpoint_options(options)) {}

std::string MediaWikiSearch::search_url(std::string_view query, std::size_t limit) const {
  std::string_view bounded = within_query_limit(query);
  std::string count = std::to_string(limit);
  return url_with_query(api_url_, {{"action", "query"},
                                   {"list", "search"},
                                   {"srsearch", bounded},
                                   {"srlimit", count},
                                   {"srprop", "snippet"},
                                   {"srenablerewrites", "1"},
                                   {"format", "json"},
                                   {"utf8", "1"}});
}

std::string MediaWikiSearch::extract_url(std::string_view title) const {
  return url_with_query(api_url_, {{"action", "query"},
                                   {"prop", "extracts|info"},
                                   {"exintro", "1"},
                                   {"explaintext", "1"},
                                   {"inprop", "url"},
                                   {"redirects", "1"},
                                   {"titles", title},
                                   {"format", "json"},
                                   {"utf8", "1"}});
}

std::string MediaWikiSearch::article_url(std::string_view title) const {
  return wiki_article_url(site_root_, title);
}

core::EncyclopediaLookup MediaWikiSearch::look_up(
    std::string_view query, std::size_t max_other_matches,
    const core::CancellationToken& cancellation) const {
  auto deadline = endpoint_.deadline_from_now();
  const std::string& site = endpoint_.label();
  auto hits = read_search_hits(
      endpoint_.get(search_url(query, max_other_matches + 1), deadline, cancellation), site);
  core::EncyclopediaLookup lookup;
  if (hits.empty()) return lookup;

  auto answer = endpoint_.get(extract_url(hits.front().title), deadline, cancellation);
  throw_if_refused(answer, site);
  const json::object* result = object_of(answer, "query");
  if (!result) throw core::SearchError(Kind::bad_response, site + " answered without pages");
  core::EncyclopediaArticle article{hits.front().title, "", ""};
  if (const json::object* page = first_existing_page(*result)) {
    std::string title = string_of(*page, "title");
    if (!title.empty()) article.title = title;  // after redirects
    article.extract = string_of(*page, "extract");
    article.url = string_of(*page, "canonicalurl");
    if (!is_web_address(article.url)) article.url = string_of(*page, "fullurl");
  }
  // A wiki without TextExtracts, or a page whose introduction is empty, still matched.
  if (article.extract.empty()) article.extract = hits.front().snippet;
  if (!is_web_address(article.url)) article.url = article_url(article.title);
  lookup.article = std::move(article);

  for (std::size_t i = 1; i < hits.size() && lookup.other_matches.size() < max_other_matches; ++i)
    lookup.other_matches.push_back({hits[i].title, hits[i].snippet, article_url(hits[i].title)});
  return lookup;
}

}  // namespace companion::providers
