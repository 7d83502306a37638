#include "hwts/l2_correction.h"

#include <gtest/gtest.h>

namespace strata::hwts {
namespace {

using common::Nanos;
using common::sysTimeFromNanos;

TEST(L2Correction, FrameDurationAtCommonSpeeds) {
  // NTPv4 over IPv4: 48 + 8 + 20 + 14 = 90 bytes of L2 frame, 94 with FCS = 752 bits.
  EXPECT_EQ(frameDuration(90, 1000), Nanos(752));
  EXPECT_EQ(frameDuration(90, 10000), Nanos(75));  // 75.2 ns
  EXPECT_EQ(frameDuration(90, 25000), Nanos(30));  // 30.08 ns
  EXPECT_EQ(frameDuration(90, 100), Nanos(7520));
  // IPv6: 40-byte header, 110 + 4 = 114 bytes.
  EXPECT_EQ(frameDuration(110, 1000), Nanos(912));
  EXPECT_EQ(frameDuration(90, 0), std::nullopt);
}

TEST(L2Correction, RoundsToNearest) {
  // 94 bytes at 40000 Mb/s = 18.8 ns -> 19; at 100000 Mb/s = 7.52 ns -> 8.
  EXPECT_EQ(frameDuration(90, 40000), Nanos(19));
  EXPECT_EQ(frameDuration(90, 100000), Nanos(8));
}

TEST(L2Correction, ShortFramesArePaddedToMinimum) {
  // A 42-byte frame goes out as 60 + 4 FCS = 64 bytes = 512 bits.
  EXPECT_EQ(frameDuration(42, 1000), Nanos(512));
  EXPECT_EQ(frameDuration(0, 1000), Nanos(512));
  EXPECT_EQ(frameDuration(60, 1000), Nanos(512));
  EXPECT_EQ(frameDuration(61, 1000), Nanos(520));
}

TEST(L2Correction, HugeLengthDoesNotOverflow) {
  EXPECT_EQ(frameDuration(UINT32_MAX, 1), Nanos((uint64_t{UINT32_MAX} + 4) * 8000));
}

TEST(L2Correction, RxAndTxCompensation) {
  const auto t = sysTimeFromNanos(1'000'000);
  EXPECT_EQ(correctHardwareRx(t, 90, 1000, Nanos(0)), t + Nanos(752));
  // rxcomp is subtracted, txcomp added (chrony's definitions).
  EXPECT_EQ(correctHardwareRx(t, 90, 1000, Nanos(645)), t + Nanos(752 - 645));
  EXPECT_EQ(correctHardwareRx(t, 90, std::nullopt, Nanos(645)), t - Nanos(645));
  EXPECT_EQ(correctHardwareTx(t, Nanos(300)), t + Nanos(300));
  EXPECT_EQ(correctHardwareTx(t, Nanos(-20)), t - Nanos(20));
}

}  // namespace
}  // namespace strata::hwts
