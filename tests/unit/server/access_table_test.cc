#include "server/access_table.h"

#include <gtest/gtest.h>

#include <random>

namespace strata::server {
namespace {

using common::IpAddress;
using common::Subnet;

IpAddress ip(const char* s) { return *IpAddress::parse(s); }
Subnet net(const char* s) { return *Subnet::parse(s); }

TEST(AccessTable, DeniesEverythingByDefault) {
  AccessTable t;
  EXPECT_FALSE(t.allowed(ip("127.0.0.1")));
  EXPECT_FALSE(t.allowed(ip("::1")));
}

TEST(AccessTable, MostSpecificSubnetDecides) {
  AccessTable t;
  t.allow(net("192.168.0.0/16"));
  t.deny(net("192.168.5.0/24"));
  t.allow(net("192.168.5.7"));
  EXPECT_TRUE(t.allowed(ip("192.168.1.1")));
  EXPECT_FALSE(t.allowed(ip("192.168.5.1")));
  EXPECT_TRUE(t.allowed(ip("192.168.5.7")));
  EXPECT_FALSE(t.allowed(ip("10.0.0.1")));
}

TEST(AccessTable, LaterLessSpecificRuleDoesNotOverrideButAllRuleDoes) {
  AccessTable t;
  t.allow(net("1.2.3.4"));
  t.deny(net("1.2.3.0/24"));  // chrony: 1.2.3.4 stays allowed
  EXPECT_TRUE(t.allowed(ip("1.2.3.4")));
  EXPECT_FALSE(t.allowed(ip("1.2.3.5")));
  t.deny(net("1.2.3.0/24"), /*all=*/true);  // `deny all 1.2.3`: wipes the exception
  EXPECT_FALSE(t.allowed(ip("1.2.3.4")));
}

TEST(AccessTable, SameSubnetLaterRuleWins) {
  AccessTable t;
  t.allow(net("10.0.0.0/8"));
  t.deny(net("10.0.0.0/8"));
  EXPECT_FALSE(t.allowed(ip("10.1.1.1")));
  t.allow(net("10.0.0.0/8"));
  EXPECT_TRUE(t.allowed(ip("10.1.1.1")));
}

TEST(AccessTable, PrefixesNotOnNibbleBoundaries) {
  AccessTable t;
  t.allow(net("10.0.0.0/9"));      // 10.0.0.0 - 10.127.255.255
  t.deny(net("10.64.0.0/10"));     // 10.64.0.0 - 10.127.255.255
  t.allow(net("10.96.0.0/11"));    // 10.96.0.0 - 10.127.255.255
  EXPECT_TRUE(t.allowed(ip("10.1.0.1")));
  EXPECT_FALSE(t.allowed(ip("10.64.0.1")));
  EXPECT_FALSE(t.allowed(ip("10.95.255.255")));
  EXPECT_TRUE(t.allowed(ip("10.96.0.0")));
  EXPECT_TRUE(t.allowed(ip("10.127.255.255")));
  EXPECT_FALSE(t.allowed(ip("10.128.0.0")));
}

TEST(AccessTable, BareAllowAndIpv6) {
  AccessTable t;
  t.allowEverything();
  t.deny(net("2001:db8::/32"));
  EXPECT_TRUE(t.allowed(ip("8.8.8.8")));
  EXPECT_TRUE(t.allowed(ip("2001:db9::1")));
  EXPECT_FALSE(t.allowed(ip("2001:db8:1::1")));
  t.allowEverything(/*all=*/true);
  EXPECT_TRUE(t.allowed(ip("2001:db8:1::1")));
}

TEST(AccessTable, V4MappedClientsFollowIpv4Rules) {
  AccessTable t;
  t.allow(net("127.0.0.0/8"));
  EXPECT_TRUE(t.allowed(ip("::ffff:127.0.0.1")));
}

// Property: the trie agrees with a brute-force longest-prefix match over random rules
// (without `all` rules, whose order semantics the reference below does not model).
TEST(AccessTable, AgreesWithBruteForceLongestPrefixMatch) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    AccessTable t;
    struct Rule {
      uint32_t base;
      int len;
      bool allow;
    };
    std::vector<Rule> rules;
    for (int i = 0; i < 40; ++i) {
      int len = static_cast<int>(rng() % 33);
      uint32_t base = (rng() & 0xFFFF0000u) | (rng() & 0xFF);  // cluster to get overlaps
      base = len == 0 ? 0 : base & (0xFFFFFFFFu << (32 - len));
      bool allow = rng() % 2;
      Subnet s(IpAddress::v4(base), len);
      allow ? t.allow(s) : t.deny(s);
      rules.push_back({base, len, allow});
    }
    for (int q = 0; q < 500; ++q) {
      uint32_t a = q % 2 ? rules[rng() % rules.size()].base + (rng() % 256) : rng();
      int best_len = -1;
      bool expect = false;
      for (const Rule& r : rules) {
        uint32_t mask = r.len == 0 ? 0 : 0xFFFFFFFFu << (32 - r.len);
        if ((a & mask) == r.base && r.len >= best_len) {
          best_len = r.len;
          expect = r.allow;  // same length: the later rule wins
        }
      }
      ASSERT_EQ(t.allowed(IpAddress::v4(a)), expect) << round << " " << a;
    }
  }
}

}  // namespace
}  // namespace strata::server
