#pragma once
// URL ingestion's fetcher on the outbound HTTP client: the address policy given (strict
// unless the operator allowed private networks or named hosts), a size limit, a deadline
// and a bounded number of redirects, each hop checked by the policy again.
#include <chrono>
#include <cstddef>
#include <memory>

#include "core/knowledge/url_fetcher.hpp"
#include "net/http_client.hpp"

namespace companion::providers {

struct UrlFetchOptions {
  net::AddressPolicy policy = net::AddressPolicy::strict();
  std::size_t max_bytes = 50u << 20;
  std::chrono::milliseconds deadline{60'000};
  int max_redirects = 5;
};

class HttpUrlFetcher final : public core::UrlFetcher {
 public:
  explicit HttpUrlFetcher(UrlFetchOptions options);
  core::FetchedDocument fetch(std::string_view url) const override;

 private:
  UrlFetchOptions options_;
  std::unique_ptr<net::HttpClient> client_;
};

// The name a fetched document is filed under: the last path segment of the URL, else its
// host ("https://example.org/a/report.pdf?x=1" → "report.pdf").
std::string filename_from_url(std::string_view url);

}  // namespace companion::providers
