#include "net/outbound_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "net/http_client.hpp"

namespace companion::net {

namespace {

[[noreturn]] void refuse(const std::string& why) {
  throw HttpClientError(HttpClientError::Kind::refused_by_policy, why);
}

std::uint16_t parse_port(const boost::urls::url_view& u, bool tls) {
  if (!u.has_port() || u.port().empty()) return tls ? 443 : 80;
  auto number = u.port_number();
  if (number == 0) refuse("invalid port in URL");
  return number;
}

}  // namespace

bool OutboundTarget::same_origin(const OutboundTarget& other) const {
  return tls == other.tls && host == other.host && port == other.port;
}

OutboundTarget parse_outbound_url(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);  // a fragment is allowed, and dropped
  if (!parsed) refuse("not an absolute URL");
  const auto& u = *parsed;
  OutboundTarget t;
  if (u.scheme_id() == boost::urls::scheme::https) {
    t.tls = true;
  } else if (u.scheme_id() != boost::urls::scheme::http) {
    refuse("only http and https URLs may be fetched");
  }
  if (u.has_userinfo()) refuse("URLs with credentials are refused");
  t.host = u.host_address();
  if (t.host.empty()) refuse("the URL has no host");
  t.port = parse_port(u, t.tls);

  bool ipv6 = u.host_type() == boost::urls::host_type::ipv6;
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on chained string concatenation.
  if (ipv6)
    t.host_header.append("[").append(t.host).append("]");
  else
    t.host_header = t.host;
  if (u.has_port() && !u.port().empty()) t.host_header.append(":").append(std::to_string(t.port));

  t.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) t.target.append("?").append(u.encoded_query());

  boost::urls::url normal(u);
  normal.remove_fragment();
  t.url = std::string(normal.buffer());
  return t;
}

std::string resolve_location(std::string_view base, std::string_view location) {
  auto base_url = boost::urls::parse_absolute_uri(base);
  auto reference = boost::urls::parse_uri_reference(location);
  if (!base_url || !reference)
    throw HttpClientError(HttpClientError::Kind::protocol, "unreadable redirect location");
  boost::urls::url out;
  auto result = boost::urls::resolve(*base_url, *reference, out);
  if (!result)
    throw HttpClientError(HttpClientError::Kind::protocol, "unreadable redirect location");
  return std::string(out.buffer());
}

}  // namespace companion::net
