#include <gtest/gtest.h>

#include "core/accounts/allow_list.hpp"
#include "core/accounts/cidr.hpp"

using namespace companion::core;

TEST(AccountsCidr, MatchesIpv4Networks) {
  auto n = IpNetwork::parse("10.1.0.0/16");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->contains("10.1.2.3"));
  EXPECT_TRUE(n->contains("10.1.255.255"));
  EXPECT_FALSE(n->contains("10.2.0.1"));
  EXPECT_FALSE(n->contains("not an ip"));
  auto odd = IpNetwork::parse("192.168.1.128/25");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->contains("192.168.1.200"));
  EXPECT_FALSE(odd->contains("192.168.1.100"));
}

TEST(AccountsCidr, MatchesIpv6Networks) {
  auto n = IpNetwork::parse("2001:db8::/32");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->contains("2001:db8:1234::1"));
  EXPECT_FALSE(n->contains("2001:db9::1"));
  EXPECT_FALSE(n->contains("10.0.0.1"));
  auto host = IpNetwork::parse("::1");
  ASSERT_TRUE(host);
  EXPECT_TRUE(host->contains("::1"));
  EXPECT_FALSE(host->contains("::2"));
}

TEST(AccountsCidr, MapsIpv4MappedPeers) {
  auto n = IpNetwork::parse("127.0.0.0/8");
  ASSERT_TRUE(n);
  EXPECT_TRUE(n->contains("::ffff:127.0.0.1"));
  EXPECT_FALSE(n->contains("::ffff:128.0.0.1"));
}

TEST(AccountsCidr, RejectsBadNotation) {
  EXPECT_FALSE(IpNetwork::parse("10.0.0.0/33"));
  EXPECT_FALSE(IpNetwork::parse("10.0.0/8"));
  EXPECT_FALSE(IpNetwork::parse("10.0.0.0/"));
  EXPECT_FALSE(IpNetwork::parse("10.0.0.0/x"));
  EXPECT_FALSE(IpNetwork::parse("::/129"));
  EXPECT_TRUE(IpNetwork::parse("0.0.0.0/0"));
}

TEST(AccountsAllowList, OneMatchingCheckIsEnough) {
  AllowList list;
  list.origins = {"https://app.example.com"};
  list.hosts = {"api.example.com"};
  list.cidrs = {"10.0.0.0/8"};
  RequestOrigin from_app{"https://app.example.com", "", "other.host", "192.0.2.1"};
  EXPECT_TRUE(list.failed_checks(from_app).empty());
  RequestOrigin from_lan{"", "", "localhost:8000", "10.9.8.7"};
  EXPECT_TRUE(list.failed_checks(from_lan).empty());
  RequestOrigin via_host{"", "", "api.example.com:443", "192.0.2.1"};
  EXPECT_TRUE(list.failed_checks(via_host).empty());
  RequestOrigin via_referer{"", "https://app.example.com/page?x=1", "x", "192.0.2.1"};
  EXPECT_TRUE(list.failed_checks(via_referer).empty());
}

TEST(AccountsAllowList, NamesEveryFailedCheck) {
  AllowList list;
  list.origins = {"*.example.com"};
  list.cidrs = {"10.0.0.0/8"};
  RequestOrigin evil{"https://evil.test", "", "api.example.com", "192.0.2.1"};
  EXPECT_EQ(list.failed_checks(evil), (std::vector<std::string>{"origin", "ip"}));
  RequestOrigin sub{"https://a.b.example.com", "", "", "192.0.2.1"};
  EXPECT_TRUE(list.failed_checks(sub).empty());
  EXPECT_TRUE(AllowList{}.failed_checks(evil).empty());
}

TEST(AccountsAllowList, ValidatesEntries) {
  AllowList list;
  list.cidrs = {"10.0.0.0/8", "nonsense"};
  EXPECT_NE(list.validate().find("nonsense"), std::string::npos);
}
