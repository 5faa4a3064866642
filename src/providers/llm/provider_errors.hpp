#pragma once
// What a failed call to a model server means to the rest of the server: the outbound
// client's errors and the server's error statuses, mapped to LlmError kinds, carrying the
// provider's own explanation where it gave one.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/llm/llm_provider.hpp"
#include "http/headers.hpp"
#include "net/http_client.hpp"

namespace companion::providers {

// dns/connect/tls → unavailable, timeout → timeout, cancelled → cancelled, a dropped or
// garbled response → bad_response.
core::LlmError llm_error_from(const net::HttpClientError& error, std::string_view provider,
                              bool before_first_token);

// A non-2xx answer: 429 → rate_limited (with its Retry-After), 5xx → unavailable, any
// other status → bad_request carrying the provider's message.
core::LlmError llm_error_for_status(int status, const http::Headers& headers, std::string_view body,
                                    std::string_view provider);

// The provider's words from an error body: OpenAI's {"error":{"message":…}}, Ollama's
// {"error":"…"}, else the body itself, shortened.
std::string provider_error_message(std::string_view body);

// Retry-After given in seconds; an HTTP date is not honoured (nothing here sends one).
std::optional<std::chrono::milliseconds> retry_after_of(const http::Headers& headers);

}  // namespace companion::providers
