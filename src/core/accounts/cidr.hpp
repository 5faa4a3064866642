#pragma once
// IP networks in CIDR notation, IPv4 and IPv6 ("10.0.0.0/8", "2001:db8::/32", or a bare
// address meaning a single host). IPv4-mapped IPv6 peers ("::ffff:10.1.2.3") match IPv4
// networks, since a dual-stack listener reports IPv4 clients that way.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace companion::core {

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4

  static std::optional<IpAddress> parse(std::string_view text);
};

class IpNetwork {
 public:
  static std::optional<IpNetwork> parse(std::string_view cidr);
  bool contains(const IpAddress& address) const;
  bool contains(std::string_view address) const;

 private:
  IpAddress base_;
  int prefix_ = 0;
};

}  // namespace companion::core
