#include <gtest/gtest.h>

#include "test_util.h"

namespace strata::config {
namespace {

using common::Nanos;
using testing::parseError;
using testing::parseOk;

TEST(HwTimestamp, DefaultsAreChronys) {
  Config c = parseOk("hwtimestamp *");
  ASSERT_EQ(c.hwtimestamps.size(), 1u);
  const HwTimestampConfig& h = c.hwtimestamps[0];
  EXPECT_EQ(h.interface, "*");
  EXPECT_EQ(h.minpoll_log2, 0);
  EXPECT_FALSE(h.maxpoll_log2);
  EXPECT_EQ(h.min_samples, 2);
  EXPECT_EQ(h.max_samples, 16);
  EXPECT_EQ(h.precision, Nanos(100));
  EXPECT_EQ(h.tx_comp, Nanos(0));
  EXPECT_EQ(h.rx_comp, Nanos(0));
  EXPECT_FALSE(h.nocrossts);
  EXPECT_EQ(h.rx_filter, HwRxFilter::kAuto);
  EXPECT_TRUE(parseOk("").hwtimestamps.empty());
}

TEST(HwTimestamp, EveryOption) {
  Config c = parseOk(
      "hwtimestamp eth1 minpoll -6 maxpoll 3 minsamples 3 maxsamples 32 precision 1e-8 "
      "txcomp 300e-9 rxcomp 645e-9 nocrossts rxfilter ntp");
  const HwTimestampConfig& h = c.hwtimestamps[0];
  EXPECT_EQ(h.interface, "eth1");
  EXPECT_EQ(h.minpoll_log2, -6);
  EXPECT_EQ(h.maxpoll_log2, 3);
  EXPECT_EQ(h.min_samples, 3);
  EXPECT_EQ(h.max_samples, 32);
  EXPECT_EQ(h.precision, Nanos(10));
  EXPECT_EQ(h.tx_comp, Nanos(300));
  EXPECT_EQ(h.rx_comp, Nanos(645));
  EXPECT_TRUE(h.nocrossts);
  EXPECT_EQ(h.rx_filter, HwRxFilter::kNtp);
}

TEST(HwTimestamp, RxFilters) {
  EXPECT_EQ(parseOk("hwtimestamp e rxfilter all").hwtimestamps[0].rx_filter, HwRxFilter::kAll);
  EXPECT_EQ(parseOk("hwtimestamp e rxfilter PTP").hwtimestamps[0].rx_filter, HwRxFilter::kPtp);
  EXPECT_EQ(parseOk("hwtimestamp e rxfilter none").hwtimestamps[0].rx_filter, HwRxFilter::kNone);
}

TEST(HwTimestamp, OneEntryPerInterfaceLastWins) {
  Config c = parseOk("hwtimestamp eth0\nhwtimestamp eth1\nhwtimestamp eth0 txcomp 1e-6\n");
  ASSERT_EQ(c.hwtimestamps.size(), 2u);
  EXPECT_EQ(c.hwtimestamps[0].interface, "eth0");
  EXPECT_EQ(c.hwtimestamps[0].tx_comp, Nanos(1000));
  EXPECT_EQ(c.hwtimestamps[1].interface, "eth1");
}

TEST(HwTimestamp, Errors) {
  const std::string at = "/etc/strata/strata.conf:1: hwtimestamp: ";
  EXPECT_EQ(parseError("hwtimestamp"), at + "expected INTERFACE|* [OPTION]..., got nothing");
  EXPECT_EQ(parseError("hwtimestamp eth0 rxfilter foo"),
            at + "rxfilter must be all, ntp, ptp or none, got \"foo\"");
  EXPECT_EQ(parseError("hwtimestamp eth0 minpoll -7"),
            at + "minpoll must be an integer from -6 to 24, got \"-7\"");
  EXPECT_EQ(parseError("hwtimestamp eth0 txcomp 2"),
            at + "txcomp must be a number of seconds from -1 to 1, got \"2\"");
  EXPECT_EQ(parseError("hwtimestamp eth0 minsamples 0"),
            at + "minsamples must be an integer from 1 to 1024, got \"0\"");
  EXPECT_EQ(parseError("hwtimestamp eth0 crossts"), at + "unknown option \"crossts\"");
  EXPECT_EQ(parseError("hwtimestamp eth0 precision"), at + "option precision needs a value");
}

}  // namespace
}  // namespace strata::config
