#include "hwts/ethtool_nl_decode.h"

#include <gtest/gtest.h>
#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/net_tstamp.h>

#include "tests/unit/hwts/nl_builder.h"

namespace strata::hwts {
namespace {

using testing::NlBuilder;

constexpr uint32_t kHwCaps = SOF_TIMESTAMPING_TX_HARDWARE | SOF_TIMESTAMPING_TX_SOFTWARE |
                             SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
                             SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_RAW_HARDWARE;

// A compact, no-mask bitset as the kernel sends it with ETHTOOL_FLAG_COMPACT_BITSETS.
void compactNomask(NlBuilder& b, uint16_t type, uint32_t size, std::vector<uint32_t> words) {
  b.begin(type).flag(ETHTOOL_A_BITSET_NOMASK).u32(ETHTOOL_A_BITSET_SIZE, size);
  b.words(ETHTOOL_A_BITSET_VALUE, words).end();
}

void header(NlBuilder& b, uint16_t type, uint32_t index, const char* name) {
  b.begin(type).u32(ETHTOOL_A_HEADER_DEV_INDEX, index).str(ETHTOOL_A_HEADER_DEV_NAME, name).end();
}

TEST(EthtoolNlDecode, TsInfoCompactWithPhc) {
  NlBuilder b;
  header(b, ETHTOOL_A_TSINFO_HEADER, 3, "enp1s0");
  compactNomask(b, ETHTOOL_A_TSINFO_TIMESTAMPING, 17, {kHwCaps});
  compactNomask(b, ETHTOOL_A_TSINFO_TX_TYPES, 4,
                {(1u << HWTSTAMP_TX_OFF) | (1u << HWTSTAMP_TX_ON)});
  compactNomask(b, ETHTOOL_A_TSINFO_RX_FILTERS, 16,
                {(1u << HWTSTAMP_FILTER_NONE) | (1u << HWTSTAMP_FILTER_ALL)});
  b.u32(ETHTOOL_A_TSINFO_PHC_INDEX, 2);

  auto r = decodeTsInfoReply(b.data());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->header.dev_index, 3u);
  EXPECT_EQ(r->header.dev_name, "enp1s0");
  EXPECT_EQ(r->info.so_timestamping, kHwCaps);
  EXPECT_EQ(r->info.phc_index, 2u);
  EXPECT_TRUE(r->info.hasTxType(HWTSTAMP_TX_ON));
  EXPECT_FALSE(r->info.hasTxType(HWTSTAMP_TX_ONESTEP_SYNC));
  EXPECT_TRUE(r->info.hasRxFilter(HWTSTAMP_FILTER_ALL));
  EXPECT_FALSE(r->info.hasRxFilter(HWTSTAMP_FILTER_NTP_ALL));
  EXPECT_EQ(assessHardwareSupport(r->info), HardwareSupport::kTxRx);
}

TEST(EthtoolNlDecode, SoftwareOnlyLikeLoopback) {
  // What lo answers on Linux 6.x: software flags, empty TX/RX sets, no PHC attribute.
  NlBuilder b;
  header(b, ETHTOOL_A_TSINFO_HEADER, 1, "lo");
  compactNomask(b, ETHTOOL_A_TSINFO_TIMESTAMPING, 19, {0x1A});
  compactNomask(b, ETHTOOL_A_TSINFO_TX_TYPES, 4, {0});
  compactNomask(b, ETHTOOL_A_TSINFO_RX_FILTERS, 16, {0});
  auto r = decodeTsInfoReply(b.data());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.so_timestamping,
            uint64_t{SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE |
                     SOF_TIMESTAMPING_SOFTWARE});
  EXPECT_FALSE(r->info.phc_index);
  EXPECT_EQ(assessHardwareSupport(r->info), HardwareSupport::kNone);
}

TEST(EthtoolNlDecode, CompactBitsetWithMaskKeepsOnlyMaskedBits) {
  NlBuilder b;
  b.u32(ETHTOOL_A_BITSET_SIZE, 40)
      .words(ETHTOOL_A_BITSET_VALUE, {0xFF, 0xFF})
      .words(ETHTOOL_A_BITSET_MASK, {0x0F, 0x01});
  auto s = decodeEthtoolBitset(b.data());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->value, 0x0Fu | (uint64_t{1} << 32));
  EXPECT_EQ(s->mask, 0x0Fu | (uint64_t{1} << 32));
  EXPECT_EQ(s->size, 40u);
}

TEST(EthtoolNlDecode, CompactBitsIgnoredBeyondSizeAndDroppedBeyond64) {
  NlBuilder b;
  b.flag(ETHTOOL_A_BITSET_NOMASK)
      .u32(ETHTOOL_A_BITSET_SIZE, 70)
      .words(ETHTOOL_A_BITSET_VALUE, {0x1, 0x80000000, 0x3F});
  auto s = decodeEthtoolBitset(b.data());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->value, 0x1u | (uint64_t{1} << 63));
  EXPECT_EQ(s->dropped_bits, 6u);  // bits 64..69; bits 70.. are beyond the size
}

TEST(EthtoolNlDecode, VerboseBitsetNomaskListsSetBits) {
  NlBuilder b;
  b.flag(ETHTOOL_A_BITSET_NOMASK).u32(ETHTOOL_A_BITSET_SIZE, 16).begin(ETHTOOL_A_BITSET_BITS);
  b.begin(ETHTOOL_A_BITSET_BITS_BIT)
      .u32(ETHTOOL_A_BITSET_BIT_INDEX, HWTSTAMP_FILTER_NTP_ALL)
      .str(ETHTOOL_A_BITSET_BIT_NAME, "ntp-all")
      .end();
  b.begin(ETHTOOL_A_BITSET_BITS_BIT)
      .u32(ETHTOOL_A_BITSET_BIT_INDEX, HWTSTAMP_FILTER_NONE)
      .str(ETHTOOL_A_BITSET_BIT_NAME, "none")
      .end();
  b.end();
  auto s = decodeEthtoolBitset(b.data());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->value, (uint64_t{1} << HWTSTAMP_FILTER_NTP_ALL) | 1u);
}

TEST(EthtoolNlDecode, VerboseBitsetWithMaskUsesValueFlags) {
  NlBuilder b;
  b.u32(ETHTOOL_A_BITSET_SIZE, 4).begin(ETHTOOL_A_BITSET_BITS);
  b.begin(ETHTOOL_A_BITSET_BITS_BIT).u32(ETHTOOL_A_BITSET_BIT_INDEX, 0).end();  // in mask, clear
  b.begin(ETHTOOL_A_BITSET_BITS_BIT)
      .u32(ETHTOOL_A_BITSET_BIT_INDEX, 1)
      .flag(ETHTOOL_A_BITSET_BIT_VALUE)
      .end();
  b.end();
  auto s = decodeEthtoolBitset(b.data());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->value, 0x2u);
  EXPECT_EQ(s->mask, 0x3u);
}

TEST(EthtoolNlDecode, VerboseBitByNameOnly) {
  NlBuilder b;
  b.begin(ETHTOOL_A_TSINFO_TIMESTAMPING).flag(ETHTOOL_A_BITSET_NOMASK).begin(ETHTOOL_A_BITSET_BITS);
  b.begin(ETHTOOL_A_BITSET_BITS_BIT).str(ETHTOOL_A_BITSET_BIT_NAME, "hardware-raw-clock").end();
  b.begin(ETHTOOL_A_BITSET_BITS_BIT).str(ETHTOOL_A_BITSET_BIT_NAME, "some-future-flag").end();
  b.end().end();
  auto r = decodeTsInfoReply(b.data());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.so_timestamping, uint64_t{SOF_TIMESTAMPING_RAW_HARDWARE});
}

TEST(EthtoolNlDecode, UnknownAttributesAreIgnored) {
  NlBuilder b;
  compactNomask(b, ETHTOOL_A_TSINFO_TIMESTAMPING, 19, {0x10});
  b.u32(200, 5);                 // attribute from a newer kernel
  b.begin(201).u32(1, 1).end();  // nested one too
  auto r = decodeTsInfoReply(b.data());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->info.so_timestamping, 0x10u);
}

TEST(EthtoolNlDecode, RejectsMalformedInput) {
  {  // no timestamping attribute
    NlBuilder b;
    b.u32(ETHTOOL_A_TSINFO_PHC_INDEX, 0);
    auto r = decodeTsInfoReply(b.data());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("without timestamping"), std::string::npos);
  }
  {  // compact value shorter than the size says
    NlBuilder b;
    b.begin(ETHTOOL_A_TSINFO_TIMESTAMPING)
        .u32(ETHTOOL_A_BITSET_SIZE, 64)
        .words(ETHTOOL_A_BITSET_VALUE, {1})
        .end();
    auto r = decodeTsInfoReply(b.data());
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("too short"), std::string::npos);
  }
  {  // compact value without a size
    NlBuilder b;
    b.words(ETHTOOL_A_BITSET_VALUE, {1});
    EXPECT_FALSE(decodeEthtoolBitset(b.data()));
  }
  {  // value not a whole number of words
    NlBuilder b;
    const uint8_t three[3] = {1, 2, 3};
    b.u32(ETHTOOL_A_BITSET_SIZE, 8).raw(ETHTOOL_A_BITSET_VALUE, three, 3);
    EXPECT_FALSE(decodeEthtoolBitset(b.data()));
  }
  {  // verbose bit index beyond the size
    NlBuilder b;
    b.u32(ETHTOOL_A_BITSET_SIZE, 4).begin(ETHTOOL_A_BITSET_BITS);
    b.begin(ETHTOOL_A_BITSET_BITS_BIT).u32(ETHTOOL_A_BITSET_BIT_INDEX, 9).end();
    b.end();
    EXPECT_FALSE(decodeEthtoolBitset(b.data()));
  }
  {  // PHC index of the wrong size
    NlBuilder b;
    compactNomask(b, ETHTOOL_A_TSINFO_TIMESTAMPING, 19, {0x10});
    b.u8(ETHTOOL_A_TSINFO_PHC_INDEX, 1);
    EXPECT_FALSE(decodeTsInfoReply(b.data()));
  }
  {  // truncated attribute stream
    NlBuilder b;
    compactNomask(b, ETHTOOL_A_TSINFO_TIMESTAMPING, 19, {0x10});
    std::vector<uint8_t> bytes = b.data();
    bytes.pop_back();
    bytes.pop_back();
    bytes.pop_back();
    bytes.pop_back();
    bytes.pop_back();
    EXPECT_FALSE(decodeTsInfoReply(bytes));
  }
}

TEST(EthtoolNlDecode, NegativePhcIndexMeansNone) {
  NlBuilder b;
  compactNomask(b, ETHTOOL_A_TSINFO_TIMESTAMPING, 19, {0x10});
  b.u32(ETHTOOL_A_TSINFO_PHC_INDEX, 0xFFFFFFFFu);
  auto r = decodeTsInfoReply(b.data());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->info.phc_index);
}

TEST(EthtoolNlDecode, LinkModesSpeedAndDuplex) {
  NlBuilder b;
  header(b, ETHTOOL_A_LINKMODES_HEADER, 7, "veth0");
  b.u8(ETHTOOL_A_LINKMODES_AUTONEG, 0);
  b.u32(ETHTOOL_A_LINKMODES_SPEED, 10000);
  b.u8(ETHTOOL_A_LINKMODES_DUPLEX, DUPLEX_FULL);
  auto r = decodeLinkModesReply(b.data());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->header.dev_index, 7u);
  EXPECT_EQ(r->link.speed_mbps, 10000u);
  EXPECT_EQ(r->link.duplex, Duplex::kFull);
}

TEST(EthtoolNlDecode, LinkModesUnknownSpeed) {
  NlBuilder b;
  b.u32(ETHTOOL_A_LINKMODES_SPEED, static_cast<uint32_t>(SPEED_UNKNOWN));
  b.u8(ETHTOOL_A_LINKMODES_DUPLEX, DUPLEX_UNKNOWN);
  auto r = decodeLinkModesReply(b.data());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->link.speed_mbps);
  EXPECT_EQ(r->link.duplex, Duplex::kUnknown);
  NlBuilder bad;
  bad.u8(ETHTOOL_A_LINKMODES_SPEED, 1);
  EXPECT_FALSE(decodeLinkModesReply(bad.data()));
}

}  // namespace
}  // namespace strata::hwts
