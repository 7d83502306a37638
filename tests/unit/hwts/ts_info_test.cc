#include "hwts/ts_info.h"

#include <gtest/gtest.h>
#include <linux/net_tstamp.h>

#include "hwts/ts_names.h"

namespace strata::hwts {
namespace {

TimestampingInfo capable() {
  TimestampingInfo info;
  info.so_timestamping =
      SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
  info.tx_types = (1u << HWTSTAMP_TX_OFF) | (1u << HWTSTAMP_TX_ON);
  info.rx_filters = (1u << HWTSTAMP_FILTER_NONE) | (1u << HWTSTAMP_FILTER_NTP_ALL);
  return info;
}

TEST(TsInfo, AssessHardwareSupport) {
  TimestampingInfo info = capable();
  EXPECT_EQ(assessHardwareSupport(info), HardwareSupport::kTxRx);
  info.rx_filters = (1u << HWTSTAMP_FILTER_NONE) | (1u << HWTSTAMP_FILTER_PTP_V2_EVENT);
  EXPECT_EQ(assessHardwareSupport(info), HardwareSupport::kTxOnly);
  info = capable();
  info.so_timestamping &= ~uint64_t{SOF_TIMESTAMPING_RAW_HARDWARE};
  EXPECT_EQ(assessHardwareSupport(info), HardwareSupport::kNone);
  info = capable();
  info.tx_types = 1u << HWTSTAMP_TX_OFF;
  EXPECT_EQ(assessHardwareSupport(info), HardwareSupport::kNone);
  info = capable();
  info.so_timestamping &= ~uint64_t{SOF_TIMESTAMPING_RX_HARDWARE};
  EXPECT_EQ(assessHardwareSupport(info), HardwareSupport::kTxOnly);
}

TEST(TsInfo, RxFilterStampsNtp) {
  EXPECT_TRUE(rxFilterStampsNtp(HWTSTAMP_FILTER_ALL));
  EXPECT_TRUE(rxFilterStampsNtp(HWTSTAMP_FILTER_NTP_ALL));
  EXPECT_FALSE(rxFilterStampsNtp(HWTSTAMP_FILTER_NONE));
  EXPECT_FALSE(rxFilterStampsNtp(HWTSTAMP_FILTER_PTP_V2_EVENT));
}

TEST(TsInfo, PhcIndexFromKernel) {
  EXPECT_EQ(phcIndexFromKernel(0), 0u);
  EXPECT_EQ(phcIndexFromKernel(12), 12u);
  EXPECT_FALSE(phcIndexFromKernel(-1));
  EXPECT_FALSE(phcIndexFromKernel(int64_t{1} << 40));
  EXPECT_FALSE(TimestampingInfo{}.hasRxFilter(-1));
  EXPECT_FALSE(TimestampingInfo{}.hasRxFilter(64));
}

TEST(TsNames, KernelSpellings) {
  EXPECT_EQ(sofFlagName(6), "hardware-raw-clock");
  EXPECT_EQ(txTypeName(HWTSTAMP_TX_ON), "on");
  EXPECT_EQ(rxFilterName(HWTSTAMP_FILTER_NTP_ALL), "ntp-all");
  EXPECT_EQ(rxFilterName(HWTSTAMP_FILTER_PTP_V2_L4_EVENT), "ptpv2-l4-event");
  EXPECT_EQ(rxFilterFromName("all"), HWTSTAMP_FILTER_ALL);
  EXPECT_EQ(sofFlagFromName("software-receive"), 3);
  EXPECT_FALSE(rxFilterFromName("bogus"));
  EXPECT_EQ(describeRxFilter(99), "unknown (99)");
}

TEST(TsNames, MaskToNamesInBitOrderWithUnknownBits) {
  auto names =
      sofFlagNames(SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_TX_SOFTWARE | (uint64_t{1} << 40));
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0], "software-transmit");
  EXPECT_EQ(names[1], "software-system-clock");
  EXPECT_EQ(names[2], "bit-40");
  EXPECT_TRUE(txTypeNames(0).empty());
}

}  // namespace
}  // namespace strata::hwts
