#include "hwts/hwtstamp_setup.h"

#include <gtest/gtest.h>
#include <linux/net_tstamp.h>
#include <unistd.h>

#include "hwts/system_discovery.h"
#include "tests/unit/hwts/fakes.h"

namespace strata::hwts {
namespace {

using testing::FakeControl;
using testing::FakeLister;
using testing::FakeSource;

TimestampingInfo nicInfo(std::initializer_list<int> rx_filters, std::optional<uint32_t> phc = 0) {
  TimestampingInfo info;
  info.so_timestamping = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RX_HARDWARE |
                         SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_SOFTWARE;
  info.tx_types = (1u << HWTSTAMP_TX_OFF) | (1u << HWTSTAMP_TX_ON);
  for (int f : rx_filters) info.rx_filters |= uint64_t{1} << f;
  info.phc_index = phc;
  return info;
}

TimestampingInfo softwareOnly() {
  TimestampingInfo info;
  info.so_timestamping =
      SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
  return info;
}

TEST(PlanRxFilters, DefaultOrderAndNarrowing) {
  using V = std::vector<int>;
  EXPECT_EQ(planRxFilters(RxFilterChoice::kAny, std::nullopt),
            (V{HWTSTAMP_FILTER_NTP_ALL, HWTSTAMP_FILTER_ALL, HWTSTAMP_FILTER_NONE}));
  // ethtool's list prunes what the NIC does not offer.
  EXPECT_EQ(
      planRxFilters(RxFilterChoice::kAny, nicInfo({HWTSTAMP_FILTER_NONE, HWTSTAMP_FILTER_ALL})),
      (V{HWTSTAMP_FILTER_ALL, HWTSTAMP_FILTER_NONE}));
  EXPECT_EQ(planRxFilters(RxFilterChoice::kAny, nicInfo({HWTSTAMP_FILTER_PTP_V2_EVENT})),
            (V{HWTSTAMP_FILTER_NONE}));
  EXPECT_EQ(planRxFilters(RxFilterChoice::kNtp, std::nullopt), (V{HWTSTAMP_FILTER_NTP_ALL}));
  EXPECT_EQ(planRxFilters(RxFilterChoice::kAll, std::nullopt), (V{HWTSTAMP_FILTER_ALL}));
  EXPECT_EQ(planRxFilters(RxFilterChoice::kNone, std::nullopt), (V{HWTSTAMP_FILTER_NONE}));
  EXPECT_EQ(planRxFilters(RxFilterChoice::kPtp, nicInfo({HWTSTAMP_FILTER_PTP_V2_EVENT})),
            (V{HWTSTAMP_FILTER_PTP_V2_EVENT}));
  EXPECT_EQ(planRxFilters(RxFilterChoice::kPtp, std::nullopt),
            (V{HWTSTAMP_FILTER_PTP_V2_EVENT, HWTSTAMP_FILTER_PTP_V2_L4_EVENT}));
}

TEST(EnableHwTimestamping, TakesNtpAllWhenOffered) {
  FakeControl control;
  control.nics["eth0"] = {};
  auto r = enableHwTimestamping("eth0", {}, control, std::nullopt);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->rx_filter, HWTSTAMP_FILTER_NTP_ALL);
  EXPECT_EQ(r->tx_type, HWTSTAMP_TX_ON);
  EXPECT_TRUE(r->rx_stamps_ntp);
  EXPECT_FALSE(r->already_configured);
  ASSERT_EQ(control.set_calls.size(), 1u);
  EXPECT_EQ(control.nics["eth0"].current.tx_type, HWTSTAMP_TX_ON);
  EXPECT_EQ(r->describe(), "eth0: hardware timestamping enabled: TX on, RX filter ntp-all");
}

TEST(EnableHwTimestamping, FallsBackToAllThenTxOnly) {
  FakeControl control;
  control.nics["eth0"].filter_errno = {{HWTSTAMP_FILTER_NTP_ALL, ERANGE}};
  auto r = enableHwTimestamping("eth0", {}, control, std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rx_filter, HWTSTAMP_FILTER_ALL);
  ASSERT_EQ(r->refused.size(), 1u);
  EXPECT_EQ(r->refused[0], "ntp-all: Numerical result out of range");

  FakeControl ptp_only;
  ptp_only.nics["eth1"].filter_errno = {{HWTSTAMP_FILTER_NTP_ALL, ERANGE},
                                        {HWTSTAMP_FILTER_ALL, EINVAL}};
  auto tx = enableHwTimestamping("eth1", {}, ptp_only, std::nullopt);
  ASSERT_TRUE(tx);
  EXPECT_EQ(tx->rx_filter, HWTSTAMP_FILTER_NONE);
  EXPECT_FALSE(tx->rx_stamps_ntp);
  EXPECT_EQ(ptp_only.set_calls.size(), 3u);
  EXPECT_NE(tx->describe().find("TX only"), std::string::npos);
}

TEST(EnableHwTimestamping, AcceptsAWiderFilterThanAsked) {
  FakeControl control;
  control.nics["eth0"].widen = {{HWTSTAMP_FILTER_NTP_ALL, HWTSTAMP_FILTER_ALL}};
  auto r = enableHwTimestamping("eth0", {}, control, nicInfo({HWTSTAMP_FILTER_NTP_ALL}, 3));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rx_filter, HWTSTAMP_FILTER_ALL);
  EXPECT_EQ(r->phc_index, 3u);
  EXPECT_NE(r->describe().find("PHC /dev/ptp3"), std::string::npos);
}

TEST(EnableHwTimestamping, ExplicitRxFilterIsNotWidenedToTxOnly) {
  FakeControl control;
  control.nics["eth0"].filter_errno = {{HWTSTAMP_FILTER_NTP_ALL, ERANGE}};
  HwTimestampOptions options;
  options.rx_filter = RxFilterChoice::kNtp;
  auto r = enableHwTimestamping("eth0", options, control, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(control.set_calls.size(), 1u);
  EXPECT_NE(r.error().message.find("eth0: cannot enable hardware timestamping with rxfilter ntp"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("every RX filter refused"), std::string::npos);
}

TEST(EnableHwTimestamping, AcceptsExistingConfigurationWhenSettingFails) {
  FakeControl control;
  auto& nic = control.nics["eth0"];
  nic.set_errno = EPERM;  // e.g. running without CAP_NET_ADMIN
  nic.current = {0, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_ALL};
  auto r = enableHwTimestamping("eth0", {}, control, std::nullopt);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->already_configured);
  EXPECT_EQ(r->rx_filter, HWTSTAMP_FILTER_ALL);
  EXPECT_EQ(control.set_calls.size(), 1u);  // EPERM: no point trying other filters
  EXPECT_NE(r->describe().find("already configured"), std::string::npos);
}

TEST(EnableHwTimestamping, ExistingConfigurationMustSuitTheChoice) {
  FakeControl control;
  auto& nic = control.nics["eth0"];
  nic.set_errno = EBUSY;
  nic.current = {0, HWTSTAMP_TX_ON, HWTSTAMP_FILTER_PTP_V2_EVENT};  // ptp4l owns it
  HwTimestampOptions options;
  options.rx_filter = RxFilterChoice::kNtp;
  auto r = enableHwTimestamping("eth0", options, control, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("Device or resource busy"), std::string::npos);
  EXPECT_NE(r.error().message.find("current configuration TX on, RX ptpv2-event"),
            std::string::npos)
      << r.error().message;
  options.rx_filter = RxFilterChoice::kPtp;
  EXPECT_TRUE(enableHwTimestamping("eth0", options, control, std::nullopt));
}

TEST(EnableHwTimestamping, UnsupportedDriverErrorNamesInterfaceAndReason) {
  FakeControl control;
  control.nics["veth0"].set_errno = EOPNOTSUPP;
  control.nics["veth0"].get_errno = EOPNOTSUPP;
  auto r = enableHwTimestamping("veth0", {}, control, softwareOnly());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "veth0: cannot enable hardware timestamping: SIOCSHWTSTAMP: Operation not "
            "supported (the driver has no hardware timestamping); ethtool reports: "
            "software-transmit software-receive software-system-clock; no PHC");
}

TEST(EnableHwTimestampingEverywhere, SkipsIncapableAndReportsEach) {
  FakeLister lister;
  lister.interfaces = {{"lo", 1}, {"eth0", 2}, {"eth1", 3}, {"eth2", 4}};
  FakeSource source("ethtool netlink");
  source.ts["lo"] = softwareOnly();
  source.ts["eth0"] = nicInfo({HWTSTAMP_FILTER_NONE, HWTSTAMP_FILTER_ALL}, 0);
  source.ts["eth1"] = nicInfo({HWTSTAMP_FILTER_NONE, HWTSTAMP_FILTER_NTP_ALL}, 1);
  // eth2: ethtool cannot tell; the ioctl decides (and refuses).
  Discovery discovery(lister, &source, nullptr);
  FakeControl control;
  control.nics["eth0"] = {};
  control.nics["eth1"].set_errno = EBUSY;
  control.nics["eth2"].set_errno = EOPNOTSUPP;
  control.nics["eth2"].get_errno = EOPNOTSUPP;

  auto entries = enableHwTimestampingEverywhere({}, control, discovery);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 4u);
  // lo is never touched.
  for (const auto& call : control.set_calls) EXPECT_NE(call.first, "lo");
  EXPECT_FALSE((*entries)[0].outcome);
  EXPECT_EQ((*entries)[0].describe(),
            "lo: hardware timestamping skipped: no hardware timestamping (ethtool reports: "
            "software-transmit software-receive software-system-clock; no PHC)");
  ASSERT_TRUE((*entries)[1].outcome);
  EXPECT_EQ((*entries)[1].outcome->rx_filter, HWTSTAMP_FILTER_ALL);  // pruned by ethtool
  EXPECT_EQ((*entries)[1].describe(),
            "eth0: hardware timestamping enabled: TX on, RX filter all, PHC /dev/ptp0");
  EXPECT_FALSE((*entries)[2].outcome);
  EXPECT_NE((*entries)[2].describe().find("eth1: hardware timestamping skipped: "
                                          "SIOCSHWTSTAMP: Device or resource busy"),
            std::string::npos)
      << (*entries)[2].describe();
  EXPECT_FALSE((*entries)[3].outcome);
  EXPECT_NE((*entries)[3].describe().find("Operation not supported"), std::string::npos);
}

// --- The real kernel path on this machine: lo refuses SIOCSHWTSTAMP. ---

TEST(EnableHwTimestampingReal, LoopbackRefusalIsReportedByName) {
  auto control = KernelHwTstampControl::open();
  ASSERT_TRUE(control) << control.error().message;
  SystemDiscovery system;
  auto lo = system.discovery().lister().find("lo");
  ASSERT_TRUE(lo);
  std::optional<TimestampingInfo> info;
  if (auto ts = system.discovery().timestampingInfo(*lo)) info = *ts;

  auto r = enableHwTimestamping("lo", {}, **control, info);
  ASSERT_FALSE(r) << "lo accepted hardware timestamping?";
  const std::string& m = r.error().message;
  EXPECT_EQ(m.rfind("lo: cannot enable hardware timestamping: SIOCSHWTSTAMP: ", 0), 0u) << m;
  // With CAP_NET_ADMIN the driver says EOPNOTSUPP; without it the kernel says EPERM first.
  const bool unsupported =
      m.find("Operation not supported (the driver has no hardware timestamping)") !=
      std::string::npos;
  const bool not_permitted =
      m.find("Operation not permitted (needs CAP_NET_ADMIN)") != std::string::npos;
  EXPECT_TRUE(unsupported || not_permitted) << m;
  if (geteuid() == 0) EXPECT_TRUE(unsupported) << m;
  if (info) EXPECT_NE(m.find("ethtool reports: software-transmit"), std::string::npos) << m;
  // SIOCGHWTSTAMP on lo is refused too: nothing to accept.
  hwtstamp_config config{};
  EXPECT_NE((*control)->get("lo", config), 0);
}

}  // namespace
}  // namespace strata::hwts
