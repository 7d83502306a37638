#include "tools/strataperf/target_check.h"

#include <gtest/gtest.h>

namespace strata::perf {
namespace {

common::SocketAddress addr(const char* text) { return *common::SocketAddress::parse(text, 123); }

TEST(TargetLocality, SameHostCasesPass) {
  TargetFacts loopback;
  loopback.target_loopback = true;
  EXPECT_TRUE(decideTargetLocality(addr("127.0.0.1"), loopback, false).ok());
  TargetFacts local;
  local.target_local_address = true;
  local.interface = "eth0";
  EXPECT_TRUE(decideTargetLocality(addr("10.0.0.5"), local, false).ok());
  TargetFacts veth;
  veth.interface = "veth-perf0";
  veth.interface_veth = true;
  EXPECT_TRUE(decideTargetLocality(addr("10.200.0.2"), veth, false).ok());
}

TEST(TargetLocality, RemoteServerOnTheDefaultPathIsRefused) {
  TargetFacts remote;
  remote.interface = "eth0";
  auto r = decideTargetLocality(addr("192.0.2.1"), remote, false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not on this host"), std::string::npos);
  EXPECT_NE(r.error().message.find("eth0"), std::string::npos);
  EXPECT_NE(r.error().message.find("--hw"), std::string::npos);
  // With NIC hardware timestamps the user takes responsibility for synchronized PHCs.
  EXPECT_TRUE(decideTargetLocality(addr("192.0.2.1"), remote, true).ok());
}

TEST(TargetLocality, LoopbackRouteIsInspectedAsLocal) {
  auto facts = inspectRoute(addr("127.0.0.1"));
  ASSERT_TRUE(facts.ok()) << facts.error().message;
  EXPECT_TRUE(facts->target_loopback);
  EXPECT_TRUE(facts->interface_loopback);
  EXPECT_EQ(facts->interface, "lo");
}

TEST(LocalAddress, LoopbackRangeIsLocalDocumentationRangeIsNot) {
  EXPECT_TRUE(checkLocalAddress(*common::IpAddress::parse("127.45.6.7")).ok());
  auto r = checkLocalAddress(*common::IpAddress::parse("198.51.100.77"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not configured on this host"), std::string::npos);
}

}  // namespace
}  // namespace strata::perf
