#pragma once
// The guard against server-side request forgery: which addresses an outbound request may
// reach. A URL fetched on a user's behalf must not reach the server's own loopback, the
// private network behind it or a cloud metadata endpoint (169.254.169.254), however the
// host name is spelled; the HTTP client checks every address it resolved before it
// connects, connects only to those, and checks again on every redirect hop.
//
// Providers the operator configured (a local Ollama on 127.0.0.1) use permissive(); URLs
// that come from users (URL ingestion) use strict().
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/accounts/cidr.hpp"

namespace companion::net {

// Where an address points, from the point of view of a request leaving this server.
enum class AddressClass {
  global,       // the public internet
  loopback,     // 127.0.0.0/8, ::1
  private_use,  // 10/8, 172.16/12, 192.168/16, fc00::/7
  link_local,   // 169.254/16 (cloud metadata lives here), fe80::/10
  unspecified,  // 0.0.0.0/8 ("this host" on Linux), ::
  multicast,    // 224/4, ff00::/8
  shared,       // 100.64/10, carrier-grade NAT
  reserved,     // 240/4 and broadcast, the deprecated IPv4-compatible ::/96
};

std::string_view to_string(AddressClass c);

// Classifies a literal address. IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible IPv6
// forms are classified by the IPv4 address they carry, since the kernel routes them there.
AddressClass classify_address(const core::IpAddress& address);

class AddressPolicy {
 public:
  // Only global addresses, plus whatever allow() adds.
  static AddressPolicy strict();
  // Every address class: for endpoints the operator wrote into the configuration.
  static AddressPolicy permissive();

  // Allows every non-global class (loopback, private, link-local, ...).
  AddressPolicy& allow_private(bool yes);
  // Adds an exception: a network in CIDR form ("10.1.0.0/16", "::1") or a host name
  // ("ollama.internal", compared case-insensitively, every address it resolves to is
  // allowed). Throws std::invalid_argument for an empty entry.
  AddressPolicy& allow(std::string_view cidr_or_host);

  // Why a connection to `address`, resolved from `host`, is refused; nullopt when allowed.
  std::optional<std::string> refusal(std::string_view host, const core::IpAddress& address) const;
  std::optional<std::string> refusal(std::string_view host, std::string_view address) const;

 private:
  bool allow_private_ = false;
  std::vector<core::IpNetwork> networks_;
  std::vector<std::string> hosts_;  // lower-case
};

}  // namespace companion::net
