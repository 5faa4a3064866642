#include "core/accounts/allow_list.hpp"

#include <algorithm>
#include <cctype>

#include "core/accounts/cidr.hpp"

namespace companion::core {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "https://App.example.com:8443/path" → "app.example.com:8443"; "app.example.com" stays.
std::string authority_of(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  auto end = url.find_first_of("/?#");
  if (end != std::string_view::npos) url = url.substr(0, end);
  auto at = url.rfind('@');  // drop userinfo
  if (at != std::string_view::npos) url.remove_prefix(at + 1);
  return lower(url);
}

// "host:port" → "host" (IPv6 literals keep their brackets).
std::string_view host_without_port(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    return close == std::string_view::npos ? authority : authority.substr(0, close + 1);
  }
  auto colon = authority.rfind(':');
  return colon == std::string_view::npos ? authority : authority.substr(0, colon);
}

bool has_port(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[')
    return authority.find("]:") != std::string_view::npos;
  return authority.find(':') != std::string_view::npos;
}

// An entry without a port matches any port; "*.example.com" matches its subdomains.
bool authority_matches(std::string_view entry, std::string_view presented) {
  if (presented.empty()) return false;
  std::string_view candidate = has_port(entry) ? presented : host_without_port(presented);
  std::string_view pattern = has_port(entry) ? entry : host_without_port(entry);
  if (pattern.size() > 2 && pattern.substr(0, 2) == "*.") {
    auto suffix = pattern.substr(1);  // ".example.com"
    return candidate.size() > suffix.size() &&
           candidate.substr(candidate.size() - suffix.size()) == suffix;
  }
  return candidate == pattern;
}

bool any_matches(const std::vector<std::string>& entries, const std::string& presented) {
  return std::any_of(entries.begin(), entries.end(), [&](const std::string& e) {
    return authority_matches(authority_of(e), presented);
  });
}

}  // namespace

std::vector<std::string> AllowList::failed_checks(const RequestOrigin& request) const {
  std::vector<std::string> failed;
  if (empty()) return failed;
  if (!origins.empty()) {
    std::string from = authority_of(!request.origin.empty() ? request.origin : request.referer);
    if (any_matches(origins, from)) return {};
    failed.push_back("origin");
  }
  if (!hosts.empty()) {
    if (any_matches(hosts, lower(request.host))) return {};
    failed.push_back("host");
  }
  if (!cidrs.empty()) {
    auto ip = IpAddress::parse(request.client_ip);
    bool hit = ip && std::any_of(cidrs.begin(), cidrs.end(), [&](const std::string& c) {
                 auto n = IpNetwork::parse(c);
                 return n && n->contains(*ip);
               });
    if (hit) return {};
    failed.push_back("ip");
  }
  return failed;
}

std::string AllowList::validate() const {
  for (const auto& c : cidrs)
    if (!IpNetwork::parse(c)) return "not a valid IP address or CIDR: " + c;
  for (const auto& o : origins)
    if (authority_of(o).empty()) return "not a valid origin: " + o;
  for (const auto& h : hosts)
    if (authority_of(h).empty()) return "not a valid host: " + h;
  return {};
}

}  // namespace companion::core
