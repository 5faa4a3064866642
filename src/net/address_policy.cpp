#include "net/address_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace companion::net {

namespace {

struct ClassifiedNetwork {
  const char* cidr;
  AddressClass cls;
};

// Special-purpose IPv4 blocks (RFC 6890) that must never be reached by accident. Documentation
// and benchmarking blocks are left global: nothing listens there.
constexpr std::array<ClassifiedNetwork, 10> kIpv4Blocks{{
    {"0.0.0.0/8", AddressClass::unspecified},
    {"127.0.0.0/8", AddressClass::loopback},
    {"10.0.0.0/8", AddressClass::private_use},
    {"172.16.0.0/12", AddressClass::private_use},
    {"192.168.0.0/16", AddressClass::private_use},
    {"169.254.0.0/16", AddressClass::link_local},
    {"100.64.0.0/10", AddressClass::shared},
    {"224.0.0.0/4", AddressClass::multicast},
    {"240.0.0.0/4", AddressClass::reserved},   // includes 255.255.255.255
    {"192.0.0.0/24", AddressClass::reserved},  // IETF protocol assignments
}};

constexpr std::array<ClassifiedNetwork, 6> kIpv6Blocks{{
    {"::/128", AddressClass::unspecified},
    {"::1/128", AddressClass::loopback},
    {"fc00::/7", AddressClass::private_use},
    {"fe80::/10", AddressClass::link_local},
    {"fec0::/10", AddressClass::link_local},  // deprecated site-local, still routed locally
    {"ff00::/8", AddressClass::multicast},
}};

struct Block {
  core::IpNetwork network;
  AddressClass cls;
};

template <std::size_t N>
std::vector<Block> parse_blocks(const std::array<ClassifiedNetwork, N>& table) {
  std::vector<Block> out;
  for (const auto& entry : table) out.push_back({*core::IpNetwork::parse(entry.cidr), entry.cls});
  return out;
}

// The tables are constant, so they are parsed once; parsing these literals cannot fail.
const std::vector<Block>& ipv4_blocks() {
  static const auto blocks = parse_blocks(kIpv4Blocks);
  return blocks;
}

const std::vector<Block>& ipv6_blocks() {
  static const auto blocks = parse_blocks(kIpv6Blocks);
  return blocks;
}

// The IPv4 address an IPv6 address carries in its low 32 bits when its first 80 bits are
// zero: ::ffff:a.b.c.d (mapped) and ::a.b.c.d (the deprecated compatible form).
std::optional<core::IpAddress> embedded_ipv4(const core::IpAddress& a) {
  for (int i = 0; i < 10; ++i)
    if (a.bytes[i] != 0) return std::nullopt;
  bool mapped = a.bytes[10] == 0xff && a.bytes[11] == 0xff;
  bool compatible = a.bytes[10] == 0 && a.bytes[11] == 0;
  if (!mapped && !compatible) return std::nullopt;
  core::IpAddress v4;
  std::copy(a.bytes.begin() + 12, a.bytes.end(), v4.bytes.begin());
  // "::" and "::1" are IPv6's own unspecified and loopback, not IPv4-compatible addresses.
  if (compatible && v4.bytes[0] == 0 && v4.bytes[1] == 0 && v4.bytes[2] == 0 && v4.bytes[3] <= 1)
    return std::nullopt;
  return v4;
}

AddressClass classify_ipv4(const core::IpAddress& a) {
  for (const auto& b : ipv4_blocks())
    if (b.network.contains(a)) return b.cls;
  return AddressClass::global;
}

AddressClass classify_ipv6(const core::IpAddress& a) {
  if (auto v4 = embedded_ipv4(a)) {
    bool mapped = a.bytes[10] == 0xff;
    auto cls = classify_ipv4(*v4);
    // A compatible address is not routable as IPv4; it is never a legitimate target.
    return mapped ? cls : AddressClass::reserved;
  }
  for (const auto& b : ipv6_blocks())
    if (b.network.contains(a)) return b.cls;
  return AddressClass::global;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view to_string(AddressClass c) {
  switch (c) {
    case AddressClass::global:
      return "global";
    case AddressClass::loopback:
      return "loopback";
    case AddressClass::private_use:
      return "private";
    case AddressClass::link_local:
      return "link-local";
    case AddressClass::unspecified:
      return "unspecified";
    case AddressClass::multicast:
      return "multicast";
    case AddressClass::shared:
      return "shared (carrier-grade NAT)";
    case AddressClass::reserved:
      return "reserved";
  }
  return "unknown";
}

AddressClass classify_address(const core::IpAddress& address) {
  return address.v6 ? classify_ipv6(address) : classify_ipv4(address);
}

AddressPolicy AddressPolicy::strict() {
  return AddressPolicy{};
}

AddressPolicy AddressPolicy::permissive() {
  AddressPolicy p;
  p.allow_private_ = true;
  return p;
}

AddressPolicy& AddressPolicy::allow_private(bool yes) {
  allow_private_ = yes;
  return *this;
}

AddressPolicy& AddressPolicy::allow(std::string_view cidr_or_host) {
  if (cidr_or_host.empty()) throw std::invalid_argument("empty address policy entry");
  if (auto network = core::IpNetwork::parse(cidr_or_host)) {
    networks_.push_back(*network);
  } else {
    hosts_.push_back(lower(cidr_or_host));
  }
  return *this;
}

std::optional<std::string> AddressPolicy::refusal(std::string_view host,
                                                  const core::IpAddress& address) const {
  auto cls = classify_address(address);
  if (cls == AddressClass::global || allow_private_) return std::nullopt;
  if (std::find(hosts_.begin(), hosts_.end(), lower(host)) != hosts_.end()) return std::nullopt;
  for (const auto& n : networks_)
    if (n.contains(address)) return std::nullopt;
  return std::string(host) + " resolves to a " + std::string(to_string(cls)) +
         " address, which this request may not reach";
}

std::optional<std::string> AddressPolicy::refusal(std::string_view host,
                                                  std::string_view address) const {
  auto parsed = core::IpAddress::parse(address);
  if (!parsed) return std::string(host) + " resolved to an unreadable address";
  return refusal(host, *parsed);
}

}  // namespace companion::net
