#pragma once
// An API key's allow-list, as AI Coach documents it: a request passes when at least one
// configured check matches — the Origin (or Referer) host, the Host header, or the client
// IP within a CIDR. An empty allow-list allows everything.
#include <string>
#include <vector>

#include "core/accounts/credential.hpp"

namespace companion::core {

struct AllowList {
  std::vector<std::string>
      origins;                     // "https://app.example.com", "app.example.com", "*.example.com"
  std::vector<std::string> hosts;  // Host header values: "api.example.com", "localhost:8000"
  std::vector<std::string> cidrs;  // "10.0.0.0/8", "2001:db8::/32", "127.0.0.1"

  bool empty() const { return origins.empty() && hosts.empty() && cidrs.empty(); }
  // The configured checks that failed ("origin", "host", "ip"); empty when the request
  // passes (at least one configured check matched, or nothing is configured).
  std::vector<std::string> failed_checks(const RequestOrigin& request) const;
  // Describes the first malformed entry, or "" when every entry is usable.
  std::string validate() const;
};

}  // namespace companion::core
