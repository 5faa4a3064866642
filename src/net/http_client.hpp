#pragma once
// The outbound HTTP(S) client that provider adapters and URL ingestion use. Calls block the
// calling thread (a worker-pool thread, never a network thread) and deliver streamed bodies
// on that same thread, so a callback may do blocking work of its own.
//
// Every call resolves the host, asks the AddressPolicy about every resolved address, and
// connects only to those addresses (no second lookup, so no DNS-rebinding window); a
// redirect hop is checked the same way. Only http and https URLs without credentials are
// accepted. Non-2xx statuses are answers, not errors.
//
// Errors: fetch() and stream() throw HttpClientError and nothing else of their own; an
// exception thrown by a callback closes the connection and propagates unchanged.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/cancellation_token.hpp"
#include "http/headers.hpp"
#include "net/address_policy.hpp"

namespace companion::net {

// A plain shared flag with no transport in it; core owns it so that a turn can hand the same
// token down to the provider request it starts.
using core::CancellationToken;

struct HttpClientTimeouts {
  // Resolving the name; then TCP connect and TLS handshake together.
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds total{120'000};  // the whole call, redirects included
  // Longest silence while sending or receiving, the wait for the response to begin included
  // (a model that thinks before its first byte needs a generous value here).
  std::chrono::milliseconds idle{30'000};
};

struct HttpClientRequest {
  std::string method = "GET";
  std::string url;
  // Host and User-Agent are filled in when absent; Content-Length, Transfer-Encoding and
  // Connection are the client's own.
  http::Headers headers;
  std::string body;
  HttpClientTimeouts timeouts;
  std::size_t max_response_bytes = 16u << 20;  // decoded body; more is a too_large error
  int max_redirects = 0;                       // 0: a 3xx is returned as the answer
  CancellationToken cancellation;              // keep a copy to cancel from another thread
};

struct HttpClientResponse {
  int status = 0;
  http::Headers headers;
  std::string body;       // empty for stream()
  std::string final_url;  // after redirects
};

class HttpClientError : public std::runtime_error {
 public:
  enum class Kind {
    dns,                // the host name did not resolve
    connect,            // no resolved address accepted the connection
    tls,                // handshake failed or the peer's certificate was not trusted
    timeout,            // connect, idle or total deadline passed
    too_large,          // the response head or body exceeded its limit
    cancelled,          // the request's CancellationToken was cancelled
    protocol,           // malformed or truncated response, including a connection that
                        // dropped before the response ended, or too many redirects
    refused_by_policy,  // bad URL, scheme or credentials, or an address the policy refuses
  };
  HttpClientError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

std::string_view to_string(HttpClientError::Kind kind);

struct TlsOptions {
  // Peers are verified against the system CA store, with their host name.
  bool verify_peer = true;
  // An additional PEM file of trusted certificates (a private CA, or a test's own).
  std::string extra_ca_file;
};

struct HttpClientOptions {
  AddressPolicy policy = AddressPolicy::strict();
  TlsOptions tls;
  std::string user_agent = "companion/" COMPANION_VERSION;
};

// Called once with the final (non-redirect) response's status and headers; false stops.
using HeadersCallback = std::function<bool(int status, const http::Headers& headers)>;
// Called with body bytes as they arrive, transfer-decoded; false stops.
using DataCallback = std::function<bool(std::string_view chunk)>;

// Thread-safe: one client serves concurrent calls from many threads. Build one per purpose
// and keep it: the constructor loads the system trust store, which takes a while. It throws
// std::invalid_argument when the extra CA file cannot be loaded.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // The whole response, body included.
  HttpClientResponse fetch(const HttpClientRequest& request) const;

  // Delivers the body as it arrives. Returns the status, headers and final URL; stopping
  // from a callback closes the connection and returns normally.
  HttpClientResponse stream(const HttpClientRequest& request, const HeadersCallback& on_headers,
                            const DataCallback& on_data) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace companion::net
