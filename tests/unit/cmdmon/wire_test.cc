#include "proto/cmdmon/wire.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace strata::proto::cmdmon {
namespace {

TEST(ChronyFloat, EncodesTheValueChronycSentForMakestepThreshold) {
  // chronyc 4.3 sent 0xfccccccd for "makestep 0.1 3" (tests/data/cmdmon/modify_makestep.bin).
  EXPECT_EQ(encodeFloat(0.1), 0xfccccccdu);
  EXPECT_NEAR(decodeFloat(0xfccccccdu), 0.1, 0.1 * std::ldexp(1.0, -24));
}

TEST(ChronyFloat, DecodesChronydValues) {
  // From chronyd's own replies: root delay 1 s, std dev 4 s, skew 2000 ppm.
  EXPECT_EQ(decodeFloat(0x04800000u), 1.0);
  EXPECT_EQ(decodeFloat(0x08800000u), 4.0);
  EXPECT_EQ(decodeFloat(0x18fa0000u), 2000.0);
  EXPECT_EQ(encodeFloat(1.0), 0x04800000u);
  EXPECT_EQ(encodeFloat(2000.0), 0x18fa0000u);
}

TEST(ChronyFloat, RoundTripsWithinTwentyFourBitsOfPrecision) {
  const double values[] = {1e-9,    -1e-9,    3.7e-6,      -0.000145085, 0.000986114, 96.481,
                           -0.035,  64.4,     1e6,         -123456.789,  2.5e-20,     -7.25e15,
                           1.0 / 3, -2.0 / 3, 0.999999999, 16777215.0,   -16777216.0, 4e18};
  for (double v : values) {
    const double back = decodeFloat(encodeFloat(v));
    EXPECT_NEAR(back, v, std::fabs(v) * std::ldexp(1.0, -24)) << v;
    EXPECT_EQ(std::signbit(back), std::signbit(v)) << v;
  }
}

TEST(ChronyFloat, HandlesZeroNanInfinityAndRangeLimits) {
  EXPECT_EQ(encodeFloat(0.0), 0u);
  EXPECT_EQ(encodeFloat(-0.0), 0u);
  EXPECT_EQ(encodeFloat(std::numeric_limits<double>::quiet_NaN()), 0u);
  const double big = decodeFloat(encodeFloat(std::numeric_limits<double>::infinity()));
  EXPECT_GT(big, 4.6e18);
  EXPECT_LT(big, 4.62e18);
  EXPECT_EQ(decodeFloat(encodeFloat(1e300)), big);  // saturates at the largest value
  const double neg_big = decodeFloat(encodeFloat(-std::numeric_limits<double>::infinity()));
  EXPECT_LT(neg_big, -4.6e18);
  EXPECT_EQ(decodeFloat(encodeFloat(1e-300)), 0.0);  // below the smallest: zero
  // Just below 2^-64 the coefficient loses bits but the value survives approximately.
  const double tiny = std::ldexp(1.0, -80);
  EXPECT_NEAR(decodeFloat(encodeFloat(tiny)), tiny, tiny * 1e-3);
}

TEST(ChronyFloat, EveryRawValueDecodesToAFiniteNumberThatReencodesExactly) {
  // Sample the 32-bit space: decoding never yields NaN/inf and canonical values round-trip.
  for (uint64_t raw = 0; raw <= 0xFFFFFFFFull; raw += 0x10001) {
    const double v = decodeFloat(static_cast<uint32_t>(raw));
    ASSERT_TRUE(std::isfinite(v));
    EXPECT_EQ(decodeFloat(encodeFloat(v)), v) << std::hex << raw;
  }
}

TEST(Wire, WritesBigEndianIntegersAndChronyInteger64) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.u16(0x0102);
  w.u32(0x03040506);
  w.u64(0x0708090A0B0C0D0Eull);
  w.i8(-1);
  const std::vector<uint8_t> expected = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xFF};
  EXPECT_EQ(out, expected);
  WireReader r(out);
  EXPECT_EQ(r.u16(), 0x0102);
  EXPECT_EQ(r.u32(), 0x03040506u);
  EXPECT_EQ(r.u64(), 0x0708090A0B0C0D0Eull);
  EXPECT_EQ(r.i8(), -1);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.u32(), 0u);  // past the end: zero, and the reader says so
  EXPECT_FALSE(r.ok());
}

TEST(Wire, TimespecCarriesHighAndLowSecondsAndNanoseconds) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  const auto t = common::sysTimeFromNanos(0x123456789ll * common::kNanosPerSecond + 987654321);
  w.timespec(t);
  const std::vector<uint8_t> expected = {0,    0,    0,    1,    0x23, 0x45,
                                         0x67, 0x89, 0x3A, 0xDE, 0x68, 0xB1};  // 987654321
  EXPECT_EQ(out, expected);
  WireReader r(out);
  EXPECT_EQ(r.timespec(), t);
}

TEST(Wire, TimespecReaderAcceptsChronysNoHighSecondsMarkerAndClampsNanoseconds) {
  const std::vector<uint8_t> bytes = {0x7F, 0xFF, 0xFF, 0xFF, 0x65, 0x53,
                                      0xF1, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
  WireReader r(bytes);
  const auto t = r.timespec();
  EXPECT_EQ(common::nanosSinceEpoch(t), 0x6553F100ll * common::kNanosPerSecond + 999999999);
}

TEST(Wire, AddressRecordsHaveChronysLayout) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.address(CmdAddress::fromIp(*common::IpAddress::parse("192.0.2.1")));
  w.address(CmdAddress::fromIp(*common::IpAddress::parse("2001:db8::1")));
  w.address(CmdAddress::fromId(42));
  w.address(CmdAddress::unspec());
  ASSERT_EQ(out.size(), 4 * kAddressSize);
  EXPECT_EQ(out[0], 192);
  EXPECT_EQ(out[3], 1);
  EXPECT_EQ(out[17], 1);  // family INET4
  EXPECT_EQ(out[20], 0x20);
  EXPECT_EQ(out[21], 0x01);
  EXPECT_EQ(out[35], 1);
  EXPECT_EQ(out[37], 2);  // family INET6
  EXPECT_EQ(out[43], 42);
  EXPECT_EQ(out[57], 3);  // family ID
  EXPECT_EQ(out[77], 0);  // family UNSPEC
  WireReader r(out);
  EXPECT_EQ(r.address().toString(), "192.0.2.1");
  EXPECT_EQ(r.address().toString(), "2001:db8::1");
  EXPECT_EQ(r.address().toString(), "ID#0000000042");
  EXPECT_EQ(r.address().toString(), "[UNSPEC]");
  EXPECT_TRUE(r.ok());
}

TEST(Wire, UnknownAddressFamilyReadsAsUnspecified) {
  std::vector<uint8_t> bytes(kAddressSize, 0xAB);
  WireReader r(bytes);
  EXPECT_EQ(r.address().family, AddressFamily::kUnspec);
}

TEST(Wire, FixedStringsAreTruncatedPaddedAndNulTerminatedOnRead) {
  std::vector<uint8_t> out;
  WireWriter w(out);
  w.fixedString("abc", 5);
  w.fixedString("abcdefgh", 4);
  ASSERT_EQ(out.size(), 9u);
  WireReader r(out);
  EXPECT_EQ(r.fixedString(5), "abc");
  EXPECT_EQ(r.fixedString(4), "abcd");
}

}  // namespace
}  // namespace strata::proto::cmdmon
