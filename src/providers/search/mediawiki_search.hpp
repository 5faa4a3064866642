#pragma once
// Encyclopedia lookups through the MediaWiki Action API (Wikipedia by default, any MediaWiki
// with the TextExtracts extension likewise) in two small requests:
//   1. action=query&list=search&srsearch=<query>: the matching titles, ranked, with
//      snippets marked up in HTML;
//   2. action=query&prop=extracts|info&exintro&explaintext&redirects&titles=<best title>:
//      the plain-text introduction of the best match and its canonical address.
// One request with generator=search could carry both, but its pages come back keyed by id
// rather than ranked, without snippets, and TextExtracts fills at most exlimit of them in id
// order — it would have to fetch every match's introduction to be sure of the best one's.
// The second request asks for exactly the article that will be read.
#include <chrono>
#include <string>

#include "core/search/encyclopedia.hpp"
#include "net/http_client.hpp"
#include "providers/search/json_endpoint.hpp"

namespace companion::providers {

struct MediaWikiOptions {
  std::string api_url = "https://en.wikipedia.org/w/api.php";
  std::string site_name = "Wikipedia";       // how error messages name the site
  std::chrono::milliseconds timeout{8'000};  // the whole lookup, both requests
  // Wikimedia's policy asks every client for a User-Agent that says what it is.
  std::string user_agent = "companion/" COMPANION_VERSION " (self-hosted AI companion server)";
  net::TlsOptions tls;
};

class MediaWikiSearch final : public core::Encyclopedia {
 public:
  // Throws std::invalid_argument for an API URL that is not an absolute http(s) URL.
  explicit MediaWikiSearch(MediaWikiOptions options);

  core::EncyclopediaLookup look_up(std::string_view query, std::size_t max_other_matches,
                                   const core::CancellationToken& cancellation) const override;

  // The request URLs of the two steps.
  std::string search_url(std::string_view query, std::size_t limit) const;
  std::string extract_url(std::string_view title) const;
  // Where a reader finds `title` when the wiki does not say: /wiki/Title_With_Underscores on
  // the API's own host, as Wikimedia sites lay out their articles.
  std::string article_url(std::string_view title) const;

 private:
  std::string api_url_;
  std::string site_root_;  // "https://en.wikipedia.org"
  JsonEndpoint endpoint_;
};

// "https://en.wikipedia.org/wiki/Ada_Lovelace" from "https://en.wikipedia.org" and
// "Ada Lovelace"; the title is encoded as MediaWiki encodes its own links.
std::string wiki_article_url(std::string_view site_root, std::string_view title);

}  // namespace companion::providers
