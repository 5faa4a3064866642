#include "core/accounts/cidr.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace companion::core {

namespace {

// "::ffff:a.b.c.d" → a.b.c.d
std::optional<IpAddress> unmap_v4(const IpAddress& a) {
  if (!a.v6) return a;
  static constexpr std::uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.bytes.data(), prefix, 12) != 0) return std::nullopt;
  IpAddress v4;
  std::memcpy(v4.bytes.data(), a.bytes.data() + 12, 4);
  return v4;
}

bool prefix_equal(const IpAddress& a, const IpAddress& b, int prefix) {
  int full = prefix / 8;
  if (std::memcmp(a.bytes.data(), b.bytes.data(), static_cast<std::size_t>(full)) != 0)
    return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (b.bytes[full] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  // Brackets appear around IPv6 literals in URLs and some proxies' headers.
  if (text.size() > 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::string z(text);
  IpAddress a;
  if (inet_pton(AF_INET, z.c_str(), a.bytes.data()) == 1) return a;
  a.v6 = true;
  if (inet_pton(AF_INET6, z.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view cidr) {
  auto slash = cidr.find('/');
  auto address = IpAddress::parse(cidr.substr(0, slash));
  if (!address) return std::nullopt;
  int max = address->v6 ? 128 : 32;
  int prefix = max;
  if (slash != std::string_view::npos) {
    auto digits = cidr.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > max)
      return std::nullopt;
  }
  IpNetwork n;
  n.base_ = *address;
  n.prefix_ = prefix;
  return n;
}

bool IpNetwork::contains(const IpAddress& address) const {
  if (base_.v6 == address.v6) return prefix_equal(base_, address, prefix_);
  // Compare an IPv4-mapped peer with an IPv4 network (and the other way round).
  auto a = unmap_v4(address);
  auto b = unmap_v4(base_);
  if (!a || !b) return false;
  int prefix = base_.v6 ? prefix_ - 96 : prefix_;
  if (prefix < 0) return false;
  return prefix_equal(*b, *a, prefix);
}

bool IpNetwork::contains(std::string_view address) const {
  auto a = IpAddress::parse(address);
  return a && contains(*a);
}

}  // namespace companion::core
