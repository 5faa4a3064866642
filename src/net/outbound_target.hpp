#pragma once
// Internal to the HTTP client: what a URL says about where to connect and what to ask for.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace companion::net {

struct OutboundTarget {
  bool tls = false;
  std::string host;  // without brackets: "example.com", "10.0.0.1", "::1"
  std::uint16_t port = 0;
  std::string host_header;  // "example.com", "example.com:8080", "[::1]:8080"
  std::string target;       // path and query: "/v1/chat?x=1"
  std::string url;          // normalised, without fragment

  // Same scheme, host and port: credentials may follow a redirect only within one origin.
  bool same_origin(const OutboundTarget& other) const;
};

// Parses an absolute http(s) URL. Throws HttpClientError(refused_by_policy) for another
// scheme, embedded credentials or a malformed URL.
OutboundTarget parse_outbound_url(std::string_view url);

// The absolute URL a Location header points to, relative to the URL that answered.
std::string resolve_location(std::string_view base, std::string_view location);

}  // namespace companion::net
