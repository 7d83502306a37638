#include "hwts/discovery.h"

#include <gtest/gtest.h>
#include <linux/net_tstamp.h>

#include "hwts/ethtool_ioctl.h"
#include "hwts/ethtool_netlink.h"
#include "hwts/system_discovery.h"
#include "hwts/system_interfaces.h"
#include "tests/unit/hwts/fakes.h"

namespace strata::hwts {
namespace {

using testing::FakeLister;
using testing::FakeSource;

TEST(Discovery, PrimaryAnswersWithoutAskingFallback) {
  FakeLister lister;
  lister.interfaces = {{"eth0", 2}};
  FakeSource nl("ethtool netlink"), io("ethtool ioctl");
  TimestampingInfo info;
  info.so_timestamping = SOF_TIMESTAMPING_RAW_HARDWARE;
  info.phc_index = 1;
  nl.ts["eth0"] = info;
  nl.links["eth0"] = LinkInfo{25000, Duplex::kFull};
  Discovery d(lister, &nl, &io);
  auto r = d.probe("eth0");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->timestamping, info);
  EXPECT_EQ(r->timestamping_source, "ethtool netlink");
  EXPECT_EQ(r->link->speed_mbps, 25000u);
  EXPECT_EQ(io.ts_calls, 0);
  EXPECT_EQ(phcPathOf(*r).value(), "/dev/ptp1");
}

TEST(Discovery, FallsBackPerQuestion) {
  FakeLister lister;
  lister.interfaces = {{"eth0", 2}};
  FakeSource nl("ethtool netlink"), io("ethtool ioctl");
  io.ts["eth0"] = TimestampingInfo{};
  nl.links["eth0"] = LinkInfo{1000, Duplex::kHalf};
  Discovery d(lister, &nl, &io);
  auto r = d.probe("eth0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->timestamping_source, "ethtool ioctl");
  EXPECT_EQ(r->link_source, "ethtool netlink");
}

TEST(Discovery, ReportsBothErrorsWhenNoSourceAnswers) {
  FakeLister lister;
  lister.interfaces = {{"lo", 1}};
  FakeSource nl("ethtool netlink"), io("ethtool ioctl");
  Discovery d(lister, &nl, &io);
  auto r = d.probe("lo");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->timestamping);
  EXPECT_EQ(r->timestamping_error,
            "ethtool netlink: Operation not supported; ethtool ioctl: Operation not supported");
  EXPECT_FALSE(r->link);
  auto phc = phcPathOf(*r);
  ASSERT_FALSE(phc);
  EXPECT_NE(phc.error().message.find("lo: cannot find its PHC"), std::string::npos);
}

TEST(Discovery, NoSourcesAtAll) {
  FakeLister lister;
  lister.interfaces = {{"lo", 1}};
  Discovery d(lister, nullptr, nullptr, "ethtool netlink: family not available");
  auto r = d.probe("lo");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->timestamping_error, "ethtool netlink: family not available");
}

TEST(Discovery, UnknownInterfaceIsAnError) {
  FakeLister lister;
  FakeSource nl("ethtool netlink");
  Discovery d(lister, &nl, nullptr);
  auto r = d.probe("eth9");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "no such interface 'eth9'");
}

TEST(Discovery, ProbeAllKeepsOrderAndPhcForInterface) {
  FakeLister lister;
  lister.interfaces = {{"lo", 1}, {"eth0", 2}};
  FakeSource nl("ethtool netlink");
  nl.ts["lo"] = TimestampingInfo{};
  TimestampingInfo nic;
  nic.phc_index = 0;
  nl.ts["eth0"] = nic;
  Discovery d(lister, &nl, nullptr);
  auto all = d.probeAll();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].iface.name, "lo");
  EXPECT_EQ((*all)[1].iface.name, "eth0");
  EXPECT_EQ(phcPathForInterface("eth0", d).value(), "/dev/ptp0");
  auto none = phcPathForInterface("lo", d);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "lo: has no PHC (ethtool reports no PHC index)");
}

// --- Against this machine's kernel (lo exists everywhere and is software-only). ---

TEST(DiscoveryReal, LoopbackIsSoftwareOnlyViaNetlinkAndIoctl) {
  SystemInterfaceLister lister;
  auto lo = lister.find("lo");
  ASSERT_TRUE(lo) << lo.error().message;
  EXPECT_EQ(lo->index, 1u);
  EXPECT_FALSE(lister.find("strata-no-such-if"));

  auto io = EthtoolIoctl::open();
  ASSERT_TRUE(io);
  auto by_ioctl = (*io)->timestampingInfo(*lo);
  ASSERT_TRUE(by_ioctl) << by_ioctl.error().message;
  EXPECT_TRUE(by_ioctl->hasFlag(SOF_TIMESTAMPING_RX_SOFTWARE));
  EXPECT_FALSE(by_ioctl->hasFlag(SOF_TIMESTAMPING_RAW_HARDWARE));
  EXPECT_FALSE(by_ioctl->phc_index);

  auto nl = EthtoolNetlink::open();
  if (!nl) GTEST_SKIP() << "no ethtool netlink on this kernel: " << nl.error().message;
  auto by_netlink = (*nl)->timestampingInfo(*lo);
  ASSERT_TRUE(by_netlink) << by_netlink.error().message;
  // Both paths must agree on what the kernel says.
  EXPECT_EQ(*by_netlink, *by_ioctl);
  // lo has no link settings: the kernel's refusal comes back as an error, and the socket
  // stays usable for the next request.
  auto link = (*nl)->linkInfo(*lo);
  EXPECT_FALSE(link);
  EXPECT_TRUE((*nl)->timestampingInfo(*lo));
}

TEST(DiscoveryReal, SystemDiscoveryProbesEveryInterface) {
  SystemDiscovery system;
  auto all = system.discovery().probeAll();
  ASSERT_TRUE(all) << all.error().message;
  bool saw_lo = false;
  for (const auto& r : *all) {
    if (r.iface.name != "lo") continue;
    saw_lo = true;
    ASSERT_TRUE(r.timestamping) << r.timestamping_error;
    EXPECT_EQ(assessHardwareSupport(*r.timestamping), HardwareSupport::kNone);
  }
  EXPECT_TRUE(saw_lo);
}

}  // namespace
}  // namespace strata::hwts
