#pragma once
// The HTTP exchange both network adapters share: post a generation request, hand a 2xx
// answer's body to the stream parser as it arrives, turn everything else (an error status
// with its body, a client failure) into the LlmError it means.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/http_client.hpp"

namespace companion::providers {

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
