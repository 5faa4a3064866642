#pragma once
// Web search through a SearxNG instance (or any service that speaks its JSON API):
// GET {base}/search?q=<query>&format=json, answered with
//   {"results": [{"title", "url", "content", "engine", ...}], "answers": [...],
//    "infoboxes": [...], "unresponsive_engines": [["engine", "why"], ...], ...}.
// SearxNG serves JSON only when its settings list "json" under search.formats; otherwise it
// answers 403, and the error says so.
#include <chrono>
#include <string>

#include "core/search/web_searcher.hpp"
#include "net/http_client.hpp"
#include "providers/search/json_endpoint.hpp"

namespace companion::providers {

struct SearxngOptions {
  std::string base_url;  // "http://127.0.0.1:8888"; a URL ending in /search is taken as is
  std::chrono::milliseconds timeout{8'000};
  net::TlsOptions tls;
};

class SearxngSearch final : public core::WebSearcher {
 public:
  // Throws std::invalid_argument for a base URL that is not an absolute http(s) URL.
  explicit SearxngSearch(SearxngOptions options);

  core::WebSearchResults search(std::string_view query, std::size_t limit,
                                const core::CancellationToken& cancellation) const override;

  // The address a query is sent to.
  std::string search_url(std::string_view query) const;

 private:
  std::string search_endpoint_;
  JsonEndpoint endpoint_;
};

// The results of a SearxNG JSON answer, at most `limit`. Throws core::SearchError
// (bad_response) when it is not one, (unavailable) when every engine behind the instance
// failed and nothing came back.
core::WebSearchResults read_searxng_answer(const boost::json::object& answer, std::size_t limit);

}  // namespace companion::providers
