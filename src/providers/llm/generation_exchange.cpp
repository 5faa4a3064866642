#include "providers/llm/generation_exchange.hpp"

#include <string>

#include "providers/llm/provider_errors.hpp"

namespace companion::providers {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

net::HttpClientRequest generation_post(const ModelEndpointOptions& endpoint, std::string_view path,
                                       std::string_view accept, std::string body,
                                       const core::GenerationRequest& request) {
  net::HttpClientRequest out;
  out.method = "POST";
  out.url = endpoint.base_url + std::string(path);
  out.headers = endpoint.extra_headers;
  out.headers.set("Content-Type", "application/json");
  out.headers.set("Accept", std::string(accept));
  out.body = std::move(body);
  out.timeouts.connect = endpoint.connect_timeout;
  out.timeouts.idle = endpoint.first_token_timeout.value_or(request.first_token_timeout);
  out.timeouts.total = endpoint.deadline.value_or(request.deadline);
  out.cancellation = request.cancellation;
  return out;
}

std::unique_ptr<net::HttpClient> model_endpoint_client(const net::TlsOptions& tls) {
  net::HttpClientOptions options;
  options.policy = net::AddressPolicy::permissive();
  options.tls = tls;
  return std::make_unique<net::HttpClient>(std::move(options));
}

namespace {

// An error body only has to carry a message; more is not worth waiting for.
constexpr std::size_t kErrorBodyLimit = 64 * 1024;

bool is_success(int status) {
  return status >= 200 && status <= 299;
}

}  // namespace

bool post_streaming(const net::HttpClient& client, const net::HttpClientRequest& request,
                    std::string_view provider, const BodyCallback& on_body,
                    const StreamedAnything& streamed_anything) {
  int status = 0;
  http::Headers headers;
  std::string error_body;
  bool stopped = false;
  auto on_headers = [&](int answered, const http::Headers& head) {
    status = answered;
    headers = head;
    return true;
  };
  auto on_data = [&](std::string_view bytes) {
    if (!is_success(status)) {
      error_body.append(bytes.substr(0, kErrorBodyLimit - error_body.size()));
      return error_body.size() < kErrorBodyLimit;
    }
    stopped = !on_body(bytes);
    return !stopped;
  };
  try {
    client.stream(request, on_headers, on_data);
  } catch (const net::HttpClientError& e) {
    // An error answer whose body broke off still says what went wrong by its status.
    bool error_status = status != 0 && !is_success(status);
    if (error_status && e.kind() != net::HttpClientError::Kind::cancelled)
      throw llm_error_for_status(status, headers, error_body, provider);
    throw llm_error_from(e, provider, !streamed_anything());
  }
  if (!is_success(status)) throw llm_error_for_status(status, headers, error_body, provider);
  return !stopped;
}

}  // namespace companion::providers
