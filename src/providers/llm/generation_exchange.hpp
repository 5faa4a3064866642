#pragma once
// The HTTP exchange both network adapters share: post a generation request, hand a 2xx
// answer's body to the stream parser as it arrives, turn everything else (an error status
// with its body, a client failure) into the LlmError it means.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/llm/llm_provider.hpp"
#include "http/headers.hpp"
#include "net/http_client.hpp"

namespace companion::providers {

// What every network model endpoint is configured with.
struct ModelEndpointOptions {
  std::string base_url;
  std::vector<std::string> models;  // the names this endpoint serves, as it spells them
  http::Headers extra_headers;      // e.g. OpenRouter's HTTP-Referer, a proxy's credentials
  net::TlsOptions tls;
  std::chrono::milliseconds connect_timeout{10'000};
  // When set, these replace what each request asks for: the operator knows how long their
  // model takes to load and to think.
  std::optional<std::chrono::milliseconds> first_token_timeout;
  std::optional<std::chrono::milliseconds> deadline;
};

// The streaming POST of one generation to base_url + path, with the endpoint's headers,
// the request's time limits (or the endpoint's) and its cancellation.
net::HttpClientRequest generation_post(const ModelEndpointOptions& endpoint, std::string_view path,
                                       std::string_view accept, std::string body,
                                       const core::GenerationRequest& request);

// "http://host:11434/" and "http://host:11434" are one endpoint.
std::string without_trailing_slash(std::string url);

// The client for a model endpoint the operator configured. Any address is allowed: the
// endpoint is the operator's choice, and a model server on loopback or the LAN is the usual
// self-hosted setup.
std::unique_ptr<net::HttpClient> model_endpoint_client(const net::TlsOptions& tls);

// Body bytes of a successful answer, as they arrive; false stops the stream.
using BodyCallback = std::function<bool(std::string_view bytes)>;
// Whether anything reached the consumer yet (a failure after that cannot be retried).
using StreamedAnything = std::function<bool()>;

// Returns true when the answer's body ended, false when `on_body` stopped it. Throws
// LlmError; an exception thrown by `on_body` propagates unchanged.
bool post_streaming(const net::HttpClient& client, const net::HttpClientRequest& request,
                    std::string_view provider, const BodyCallback& on_body,
                    const StreamedAnything& streamed_anything);

}  // namespace companion::providers
