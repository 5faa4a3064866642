#pragma once
// One configured search service that answers GET requests with JSON: the HTTP client with
// its address policy and trust store, the time a whole lookup may take, and the translation
// of every way a request fails into a SearchError whose message names the service.
//
// Redirects are never followed: the service answers at the address the operator wrote, and
// a query never sends the server anywhere else.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/cancellation_token.hpp"
#include "core/search/search_error.hpp"
#include "net/http_client.hpp"

namespace companion::providers {

struct JsonEndpointOptions {
  std::string label;  // how messages name the service: "the search service", "Wikipedia"
  std::chrono::milliseconds timeout{8'000};  // a whole lookup, every request in it included
  std::size_t max_response_bytes = 4u << 20;
  std::string user_agent;  // empty: the client's default
  // What an error status means for this service, said to the user; empty: nothing to add.
  std::function<std::string(int status)> explain_status;
  net::TlsOptions tls;
};

class JsonEndpoint {
 public:
  using Clock = std::chrono::steady_clock;

  // The HTTP client (and with it the system trust store, which takes a while to load) is
  // made at the first request: a server whose users never search never pays for it.
  explicit JsonEndpoint(JsonEndpointOptions options);

  // The moment a lookup that starts now must be over.
  Clock::time_point deadline_from_now() const { return Clock::now() + options_.timeout; }

  // GETs `url` and returns its JSON object. Throws core::SearchError: unavailable for an
  // unreachable service or a non-2xx answer, bad_response for a body that is not a JSON
  // object, timeout when `deadline` passes first, cancelled when `cancellation` fires.
  boost::json::object get(const std::string& url, Clock::time_point deadline,
                          const core::CancellationToken& cancellation) const;

  const std::string& label() const { return options_.label; }

 private:
  const net::HttpClient& client() const;
  core::SearchError timeout_error() const;
  core::SearchError status_error(int status) const;

  JsonEndpointOptions options_;
  mutable std::once_flag client_made_;
  mutable std::unique_ptr<net::HttpClient> client_;
};

}  // namespace companion::providers
