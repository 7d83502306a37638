#include "common/net_address.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

namespace strata::common {
namespace {

TEST(IpAddress, ParsesAndFormatsBothFamilies) {
  auto a = IpAddress::parse("192.0.2.1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV4());
  EXPECT_EQ(a->v4HostOrder(), 0xC0000201u);
  EXPECT_EQ(a->toString(), "192.0.2.1");
  auto b = IpAddress::parse("[2001:db8::1]");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->isV6());
  EXPECT_EQ(b->toString(), "2001:db8::1");
  EXPECT_FALSE(IpAddress::parse("300.1.1.1"));
  EXPECT_FALSE(IpAddress::parse("host.example"));
  EXPECT_FALSE(IpAddress::parse(""));
}

TEST(IpAddress, V4MappedIsV4) {
  auto a = IpAddress::parse("::ffff:10.1.2.3");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->isV4());
  EXPECT_EQ(*a, *IpAddress::parse("10.1.2.3"));
}

TEST(IpAddress, Loopback) {
  EXPECT_TRUE(IpAddress::parse("127.3.4.5")->isLoopback());
  EXPECT_TRUE(IpAddress::parse("::1")->isLoopback());
  EXPECT_FALSE(IpAddress::parse("10.0.0.1")->isLoopback());
  EXPECT_TRUE(IpAddress::parse("::")->isAny());
}

TEST(IpAddress, UnicastSources) {
  for (const char* ok : {"1.0.0.1", "10.0.0.1", "127.255.255.255", "223.255.255.255", "::1",
                         "2001:db8::1", "fe80::1", "::ffff:192.0.2.1"}) {
    EXPECT_TRUE(IpAddress::parse(ok)->isUnicastSource()) << ok;
  }
  for (const char* bad : {"0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1",
                          "255.255.255.255", "::", "ff02::1", "ff0e::101", "::ffff:224.0.0.1"}) {
    EXPECT_FALSE(IpAddress::parse(bad)->isUnicastSource()) << bad;
  }
}

TEST(SocketAddress, ParseAndSockaddrRoundTrip) {
  auto s = SocketAddress::parse("127.0.0.1:12345", 123);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->port, 12345);
  EXPECT_EQ(s->toString(), "127.0.0.1:12345");
  EXPECT_EQ(SocketAddress::parse("127.0.0.1", 123)->port, 123);
  EXPECT_EQ(SocketAddress::parse("[::1]:99", 123)->toString(), "[::1]:99");
  EXPECT_EQ(SocketAddress::parse("::1", 123)->port, 123);
  EXPECT_FALSE(SocketAddress::parse("127.0.0.1:70000", 123));
  EXPECT_FALSE(SocketAddress::parse("[::1", 123));

  sockaddr_storage ss;
  socklen_t len = s->toSockaddr(ss);
  EXPECT_EQ(len, sizeof(sockaddr_in));
  EXPECT_EQ(SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len), s);
  len = s->toSockaddr(ss, /*as_v6=*/true);
  EXPECT_EQ(len, sizeof(sockaddr_in6));
  EXPECT_EQ(SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len), s);
}

TEST(Subnet, ContainsByPrefix) {
  auto net = Subnet::parse("192.168.0.0/16");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(*IpAddress::parse("192.168.7.9")));
  EXPECT_FALSE(net->contains(*IpAddress::parse("192.169.0.1")));
  EXPECT_FALSE(net->contains(*IpAddress::parse("2001:db8::1")));
  auto v6 = Subnet::parse("2001:db8::/33");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->contains(*IpAddress::parse("2001:db8:7fff::1")));
  EXPECT_FALSE(v6->contains(*IpAddress::parse("2001:db8:8000::1")));
  EXPECT_TRUE(Subnet::allV4().contains(*IpAddress::parse("8.8.8.8")));
  EXPECT_TRUE(Subnet::allV6().contains(*IpAddress::parse("::2")));
}

TEST(Subnet, ClearsHostBitsAndParsesShortForms) {
  EXPECT_EQ(Subnet::parse("10.1.2.3/8")->toString(), "10.0.0.0/8");
  EXPECT_EQ(Subnet::parse("192.168")->toString(), "192.168.0.0/16");
  EXPECT_EQ(Subnet::parse("10")->toString(), "10.0.0.0/8");
  EXPECT_EQ(Subnet::parse("1.2.3.4")->toString(), "1.2.3.4/32");
  EXPECT_EQ(Subnet::parse("2001:db8::1/32")->toString(), "2001:db8::/32");
  EXPECT_FALSE(Subnet::parse("10.0.0.0/33"));
  EXPECT_FALSE(Subnet::parse("1.2.3.4.5"));
  EXPECT_FALSE(Subnet::parse("10./8"));
  EXPECT_FALSE(Subnet::parse("/8"));
  EXPECT_FALSE(Subnet::parse("2001:db8::/129"));
}

}  // namespace
}  // namespace strata::common
