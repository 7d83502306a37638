#include "proto/refid.h"

#include <gtest/gtest.h>

namespace strata::proto {
namespace {

TEST(RefId, Text) {
  EXPECT_EQ(refIdFromText("GPS"), 0x47505300u);
  EXPECT_EQ(refIdFromText("LOCL"), 0x4C4F434Cu);
  EXPECT_EQ(refIdFromText("TOOLONG"), refIdFromText("TOOL"));
  EXPECT_EQ(refIdToText(0x47505300u), "GPS");
  EXPECT_EQ(refIdToText(kiss::kRate), "RATE");
  EXPECT_EQ(refIdToText(0x41010000u), "A?");
}

TEST(RefId, Ipv4IsTheAddress) {
  EXPECT_EQ(refIdFromAddress(*common::IpAddress::parse("192.0.2.1")), 0xC0000201u);
  EXPECT_EQ(refIdToHex(0xC0000201u), "C0000201");
}

TEST(RefId, Ipv6IsMd5Prefix) {
  // MD5 of the 16 bytes of ::1 is 0xCF404DC806178C245B5B4FE2531E6D8C (computed with
  // `printf '\0...\1' | md5sum`).
  EXPECT_EQ(refIdFromAddress(*common::IpAddress::parse("::1")), 0xCF404DC8u);
}

TEST(Kiss, IsKissOfDeath) {
  NtpHeader h;
  h.mode = NtpMode::kServer;
  h.stratum = 0;
  h.reference_id = kiss::kDeny;
  EXPECT_TRUE(isKissOfDeath(h));
  h.stratum = 1;
  EXPECT_FALSE(isKissOfDeath(h));
  h.stratum = 0;
  h.mode = NtpMode::kClient;
  EXPECT_FALSE(isKissOfDeath(h));
}

}  // namespace
}  // namespace strata::proto
