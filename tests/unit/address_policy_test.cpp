// The SSRF guard's decisions on literal addresses, and the URL checks made before any
// lookup. No network is needed.
#include <gtest/gtest.h>

#include "net/address_policy.hpp"
#include "net/http_client.hpp"
#include "net/outbound_target.hpp"

using companion::core::IpAddress;
using companion::net::AddressClass;
using companion::net::AddressPolicy;
using companion::net::classify_address;
using companion::net::HttpClientError;

namespace {

AddressClass class_of(const char* literal) {
  auto address = IpAddress::parse(literal);
  EXPECT_TRUE(address) << literal;
  return address ? classify_address(*address) : AddressClass::reserved;
}

void expect_class(AddressClass expected, std::initializer_list<const char*> literals) {
  for (const char* literal : literals)
    EXPECT_EQ(class_of(literal), expected)
        << literal << " is " << companion::net::to_string(class_of(literal));
}

HttpClientError::Kind refusal_kind(const std::string& url) {
  try {
    companion::net::parse_outbound_url(url);
  } catch (const HttpClientError& e) {
    return e.kind();
  }
  ADD_FAILURE() << url << " was accepted";
  return HttpClientError::Kind::protocol;
}

}  // namespace

TEST(AddressPolicy, ClassifiesLoopback) {
  expect_class(AddressClass::loopback, {"127.0.0.1", "127.255.255.254", "::1"});
}

TEST(AddressPolicy, ClassifiesPrivateNetworks) {
  expect_class(AddressClass::private_use,
               {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "fc00::1", "fd12:3456::1"});
}

TEST(AddressPolicy, ClassifiesLinkLocalIncludingCloudMetadata) {
  expect_class(AddressClass::link_local, {"169.254.169.254", "169.254.0.1", "fe80::1"});
}

TEST(AddressPolicy, ClassifiesUnspecifiedMulticastSharedAndReserved) {
  expect_class(AddressClass::unspecified, {"0.0.0.0", "0.1.2.3", "::"});
  expect_class(AddressClass::multicast, {"224.0.0.1", "239.255.255.250", "ff02::1"});
  expect_class(AddressClass::shared, {"100.64.0.1", "100.127.255.254"});
  expect_class(AddressClass::reserved, {"255.255.255.255", "240.0.0.1", "::7f00:1"});
}

TEST(AddressPolicy, ClassifiesIpv4MappedFormsByTheirIpv4Address) {
  expect_class(AddressClass::loopback, {"::ffff:127.0.0.1"});
  expect_class(AddressClass::private_use, {"::ffff:10.1.2.3", "::ffff:192.168.0.1"});
  expect_class(AddressClass::link_local, {"::ffff:169.254.169.254"});
  expect_class(AddressClass::global, {"::ffff:93.184.216.34"});
}

TEST(AddressPolicy, NeighboursOfSpecialBlocksAreGlobal) {
  expect_class(AddressClass::global, {"8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                                      "100.128.0.1", "11.0.0.1", "2606:4700:4700::1111"});
}

TEST(AddressPolicy, StrictRefusesEveryNonGlobalClassAndSaysWhich) {
  auto strict = AddressPolicy::strict();
  for (const char* literal : {"127.0.0.1", "10.0.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
                              "100.64.0.1", "fd00::1", "fe80::1", "::1", "::ffff:127.0.0.1"}) {
    auto why = strict.refusal("example.test", literal);
    ASSERT_TRUE(why) << literal << " was allowed";
    EXPECT_NE(why->find("example.test"), std::string::npos);
  }
  EXPECT_NE(strict.refusal("x", "169.254.169.254")->find("link-local"), std::string::npos);
  EXPECT_FALSE(strict.refusal("example.com", "93.184.216.34"));
}

TEST(AddressPolicy, PermissiveAllowsLocalServices) {
  auto permissive = AddressPolicy::permissive();
  EXPECT_FALSE(permissive.refusal("localhost", "127.0.0.1"));
  EXPECT_FALSE(permissive.refusal("ollama", "10.0.0.5"));
  EXPECT_FALSE(permissive.refusal("example.com", "93.184.216.34"));
}

TEST(AddressPolicy, AllowedNetworkOpensOnlyThatNetwork) {
  auto policy = AddressPolicy::strict();
  policy.allow("10.1.0.0/16").allow("::1");
  EXPECT_FALSE(policy.refusal("a", "10.1.2.3"));
  EXPECT_FALSE(policy.refusal("a", "::1"));
  EXPECT_TRUE(policy.refusal("a", "10.2.0.1"));
  EXPECT_TRUE(policy.refusal("a", "127.0.0.1"));
}

TEST(AddressPolicy, AllowedHostOpensOnlyThatHost) {
  auto policy = AddressPolicy::strict();
  policy.allow("Ollama.Internal");
  EXPECT_FALSE(policy.refusal("ollama.internal", "10.0.0.5"));
  EXPECT_TRUE(policy.refusal("other.internal", "10.0.0.5"));
}

TEST(AddressPolicy, AllowPrivateSwitchOpensEveryClass) {
  auto policy = AddressPolicy::strict();
  policy.allow_private(true);
  EXPECT_FALSE(policy.refusal("a", "192.168.1.1"));
  EXPECT_FALSE(policy.refusal("a", "127.0.0.1"));
}

TEST(OutboundUrl, RefusesOtherSchemesCredentialsAndRelativeUrls) {
  using Kind = HttpClientError::Kind;
  EXPECT_EQ(refusal_kind("ftp://example.com/file"), Kind::refused_by_policy);
  EXPECT_EQ(refusal_kind("file:///etc/passwd"), Kind::refused_by_policy);
  EXPECT_EQ(refusal_kind("gopher://127.0.0.1:6379/_INFO"), Kind::refused_by_policy);
  EXPECT_EQ(refusal_kind("http://user:secret@example.com/"), Kind::refused_by_policy);
  EXPECT_EQ(refusal_kind("http://user@example.com/"), Kind::refused_by_policy);
  EXPECT_EQ(refusal_kind("/just/a/path"), Kind::refused_by_policy);
  EXPECT_EQ(refusal_kind("http:///no-host"), Kind::refused_by_policy);
}

TEST(OutboundUrl, DerivesConnectionAndRequestLine) {
  auto t = companion::net::parse_outbound_url("https://Example.com:8443/v1/chat?stream=1#frag");
  EXPECT_TRUE(t.tls);
  EXPECT_EQ(t.port, 8443);
  EXPECT_EQ(t.host_header, "Example.com:8443");
  EXPECT_EQ(t.target, "/v1/chat?stream=1");
  EXPECT_EQ(t.url.find('#'), std::string::npos);

  auto v6 = companion::net::parse_outbound_url("http://[::1]:11434");
  EXPECT_FALSE(v6.tls);
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.host_header, "[::1]:11434");
  EXPECT_EQ(v6.target, "/");

  auto plain = companion::net::parse_outbound_url("http://example.com/a");
  EXPECT_EQ(plain.port, 80);
  EXPECT_EQ(plain.host_header, "example.com");
}

TEST(OutboundUrl, ResolvesRelativeRedirects) {
  using companion::net::resolve_location;
  EXPECT_EQ(resolve_location("http://a.test/x/y?q=1", "/next"), "http://a.test/next");
  EXPECT_EQ(resolve_location("http://a.test/x/y", "z"), "http://a.test/x/z");
  EXPECT_EQ(resolve_location("http://a.test/x", "https://b.test/"), "https://b.test/");
}
