#include "providers/fetch/http_url_fetcher.hpp"

namespace companion::providers {

namespace {

using Kind = net::HttpClientError::Kind;

core::UrlFetchError::Kind fetch_error_kind(Kind kind) {
  switch (kind) {
    case Kind::refused_by_policy:
      return core::UrlFetchError::Kind::refused;
    case Kind::too_large:
      return core::UrlFetchError::Kind::too_large;
    default:
      return core::UrlFetchError::Kind::failed;
  }
}

}  // namespace

HttpUrlFetcher::HttpUrlFetcher(UrlFetchOptions options) : options_(std::move(options)) {
  net::HttpClientOptions client;
  client.policy = options_.policy;
  client_ = std::make_unique<net::HttpClient>(std::move(client));
}

core::FetchedDocument HttpUrlFetcher::fetch(std::string_view url) const {
  net::HttpClientRequest request;
  request.url = std::string(url);
  request.max_response_bytes = options_.max_bytes;
  request.max_redirects = options_.max_redirects;
  request.timeouts.total = options_.deadline;
  net::HttpClientResponse response;
  try {
    response = client_->fetch(request);
  } catch (const net::HttpClientError& e) {
    throw core::UrlFetchError(fetch_error_kind(e.kind()), e.what());
  }
  if (response.status < 200 || response.status > 299)
    throw core::UrlFetchError(core::UrlFetchError::Kind::failed,
                              "the URL answered HTTP " + std::to_string(response.status));
  core::FetchedDocument out;
  out.final_url = response.final_url.empty() ? std::string(url) : response.final_url;
  out.filename = filename_from_url(out.final_url);
  if (auto type = response.headers.get("Content-Type")) out.content_type = std::string(*type);
  out.bytes = std::move(response.body);
  return out;
}

std::string filename_from_url(std::string_view url) {
  auto scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  auto slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  auto last = path.rfind('/');
  std::string_view name = last == std::string_view::npos ? path : path.substr(last + 1);
  return std::string(name.empty() ? host : name);
}

}  // namespace companion::providers
