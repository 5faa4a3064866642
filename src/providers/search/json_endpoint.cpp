#include "providers/search/json_endpoint.hpp"

#include <boost/json/parse.hpp>

namespace companion::providers {

namespace {

using Kind = core::SearchError::Kind;
using HttpKind = net::HttpClientError::Kind;

net::HttpClientOptions client_options(const JsonEndpointOptions& options) {
  net::HttpClientOptions out;
  // The operator wrote the address; a search service on loopback or the LAN is the usual
  // self-hosted setup. Queries only ever go to that address.
  out.policy = net::AddressPolicy::permissive();
  out.tls = options.tls;
  if (!options.user_agent.empty()) out.user_agent = options.user_agent;
  return out;
}

std::string duration_text(std::chrono::milliseconds duration) {
  auto ms = duration.count();
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

JsonEndpoint::JsonEndpoint(JsonEndpointOptions options) : options_(std::move(options)) {}

const net::HttpClient& JsonEndpoint::client() const {
  try {
    std::call_once(client_made_, [this] {
      client_ = std::make_unique<net::HttpClient>(client_options(options_));
    });
  } catch (const std::exception& error) {
    // A trust file that cannot be loaded; the next request tries again.
    throw core::SearchError(Kind::unavailable, options_.label + " cannot be used: " + error.what());
  }
  return *client_;
}

core::SearchError JsonEndpoint::timeout_error() const {
  return {Kind::timeout,
          options_.label + " did not answer within " + duration_text(options_.timeout)};
}

core::SearchError JsonEndpoint::status_error(int status) const {
  std::string message = options_.label + " answered HTTP " + std::to_string(status);
  std::string why = options_.explain_status ? options_.explain_status(status) : std::string();
  if (!why.empty()) message += " (" + why + ")";
  return {Kind::unavailable, message};
}

boost::json::object JsonEndpoint::get(const std::string& url, Clock::time_point deadline,
                                      const core::CancellationToken& cancellation) const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) throw timeout_error();
  net::HttpClientRequest request;
  request.url = url;
  request.headers.set("Accept", "application/json");
  // A silent service, a slow connect and a slow body all count against the one deadline.
  request.timeouts.connect = left;
  request.timeouts.idle = left;
  request.timeouts.total = left;
  request.max_response_bytes = options_.max_response_bytes;
  request.max_redirects = 0;
  request.cancellation = cancellation;
  net::HttpClientResponse response;
  try {
    response = client().fetch(request);
  } catch (const net::HttpClientError& error) {
    switch (error.kind()) {
      case HttpKind::timeout:
        throw timeout_error();
      case HttpKind::cancelled:
        throw core::SearchError(Kind::cancelled, "the search was cancelled");
      case HttpKind::too_large:
        throw core::SearchError(Kind::bad_response, options_.label + "'s answer was too large");
      case HttpKind::protocol:
        throw core::SearchError(Kind::bad_response,
                                options_.label + " sent a broken answer (" + error.what() + ")");
      default:
        throw core::SearchError(Kind::unavailable,
                                options_.label + " could not be reached (" + error.what() + ")");
    }
  }
  if (response.status < 200 || response.status > 299) throw status_error(response.status);
  boost::system::error_code parse_error;
  auto value = boost::json::parse(response.body, parse_error);
  if (parse_error || !value.is_object())
    throw core::SearchError(Kind::bad_response,
                            options_.label + " did not answer with a JSON object");
  return std::move(value.as_object());
}

}  // namespace companion::providers
