#include "hwts/ethtool_ioctl_decode.h"

#include <gtest/gtest.h>
#include <linux/net_tstamp.h>

namespace strata::hwts {
namespace {

TEST(EthtoolIoctlDecode, TsInfo) {
  ethtool_ts_info raw{};
  raw.so_timestamping =
      SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE | SOF_TIMESTAMPING_RX_HARDWARE;
  raw.phc_index = 4;
  raw.tx_types = 1u << HWTSTAMP_TX_ON;
  raw.rx_filters = 1u << HWTSTAMP_FILTER_PTP_V2_L4_EVENT;
  TimestampingInfo info = decodeEthtoolTsInfo(raw);
  EXPECT_EQ(info.so_timestamping, raw.so_timestamping);
  EXPECT_EQ(info.phc_index, 4u);
  EXPECT_EQ(info.tx_types, 2u);
  EXPECT_TRUE(info.hasRxFilter(HWTSTAMP_FILTER_PTP_V2_L4_EVENT));
  // A PTP-only NIC: TX stamps, but no RX filter for NTP.
  EXPECT_EQ(assessHardwareSupport(info), HardwareSupport::kTxOnly);

  raw.phc_index = -1;
  EXPECT_FALSE(decodeEthtoolTsInfo(raw).phc_index);
}

TEST(EthtoolIoctlDecode, LinkSettings) {
  ethtool_link_settings raw{};
  raw.speed = 25000;
  raw.duplex = DUPLEX_FULL;
  LinkInfo link = decodeEthtoolLinkSettings(raw);
  EXPECT_EQ(link.speed_mbps, 25000u);
  EXPECT_EQ(link.duplex, Duplex::kFull);
  raw.speed = static_cast<uint32_t>(SPEED_UNKNOWN);
  raw.duplex = DUPLEX_HALF;
  link = decodeEthtoolLinkSettings(raw);
  EXPECT_FALSE(link.speed_mbps);
  EXPECT_EQ(link.duplex, Duplex::kHalf);
  raw.speed = 0;
  raw.duplex = 0x42;
  link = decodeEthtoolLinkSettings(raw);
  EXPECT_FALSE(link.speed_mbps);
  EXPECT_EQ(link.duplex, Duplex::kUnknown);
}

}  // namespace
}  // namespace strata::hwts
