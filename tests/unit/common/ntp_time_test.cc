#include "common/ntp_time.h"

#include <gtest/gtest.h>

#include <random>

namespace strata::common {
namespace {

constexpr int64_t kSec = kNanosPerSecond;

SysTime utc(int64_t unix_seconds, int64_t ns = 0) { return sysTimeFromNanos(unix_seconds * kSec + ns); }

TEST(NtpTimestamp, UnixEpochIsKnownNtpSecond) {
  NtpTimestamp ts = NtpTimestamp::fromSysTime(utc(0));
  EXPECT_EQ(ts.seconds(), 2208988800u);
  EXPECT_EQ(ts.fraction(), 0u);
}

TEST(NtpTimestamp, HalfSecondIsHalfTheFraction) {
  NtpTimestamp ts = NtpTimestamp::fromSysTime(utc(1, 500'000'000));
  EXPECT_EQ(ts.seconds(), 2208988801u);
  EXPECT_EQ(ts.fraction(), 0x80000000u);
}

TEST(NtpTimestamp, OneNanosecondRoundsUpToFraction5) {
  // 1 ns = 4.294967296 units of 2^-32 s; rounding up gives 5.
  EXPECT_EQ(NtpTimestamp::fromSysTime(utc(0, 1)).fraction(), 5u);
  EXPECT_EQ(NtpTimestamp::fromSysTime(utc(0, 999'999'999)).fraction(), 4294967292u);
}

TEST(NtpTimestamp, Era1BeginsIn2036) {
  // 2036-02-07T06:28:16Z is NTP era 1, second 0.
  SysTime rollover = utc(2085978496);
  NtpTimestamp ts = NtpTimestamp::fromSysTime(rollover);
  EXPECT_EQ(ts.seconds(), 0u);
  EXPECT_EQ(ts.toSysTime(rollover), rollover);
  // One second before the rollover is the last second of era 0.
  EXPECT_EQ(NtpTimestamp::fromSysTime(utc(2085978495)).seconds(), 0xFFFFFFFFu);
}

TEST(NtpTimestamp, PivotChoosesNearestEra) {
  NtpTimestamp early_era1 = NtpTimestamp::fromParts(10, 0);  // 2036-02-07T06:28:26Z
  // From a 2030 pivot, second 10 is 2036 (era 1), not 1900.
  EXPECT_EQ(early_era1.toSysTime(utc(1893456000)), utc(2085978506));
  // From a 1901 pivot it is 1900 (era 0).
  EXPECT_EQ(early_era1.toSysTime(utc(-2177452800)), utc(-kNtpToUnixSeconds + 10));
  NtpTimestamp late_era0 = NtpTimestamp::fromParts(0xFFFFFFF0u, 0);
  // From a pivot just after the 2036 rollover, a late era-0 value is 16 s before it.
  EXPECT_EQ(late_era0.toSysTime(utc(2085978500)), utc(2085978496 - 16));
}

TEST(NtpTimestamp, WorksPast2038With64BitTime) {
  static_assert(sizeof(time_t) == 8);
  SysTime y2040 = utc(2208988800);  // 2040-01-01T00:00:00Z
  NtpTimestamp ts = NtpTimestamp::fromSysTime(y2040);
  EXPECT_EQ(ts.toSysTime(y2040 - Nanos(1000 * kSec)), y2040);
  timespec spec = timespecFromSysTime(y2040);
  EXPECT_EQ(spec.tv_sec, 2208988800);
  EXPECT_EQ(NtpTimestamp::fromTimespec(spec), ts);
}

TEST(NtpTimestamp, RoundTripIsExactToTheNanosecond) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> dist(-2'000'000'000LL * kSec, 4'000'000'000LL * kSec);
  for (int i = 0; i < 100000; ++i) {
    SysTime t = sysTimeFromNanos(dist(rng));
    SysTime pivot = t + Nanos(static_cast<int64_t>(rng() % (2'000'000'000ULL)) * kSec - 1'000'000'000LL * kSec);
    ASSERT_EQ(NtpTimestamp::fromSysTime(t).toSysTime(pivot), t) << nanosSinceEpoch(t);
  }
}

TEST(NtpTimestamp, NegativeTimesBeforeTheEpoch) {
  SysTime t = sysTimeFromNanos(-1);  // 1969-12-31T23:59:59.999999999Z
  NtpTimestamp ts = NtpTimestamp::fromSysTime(t);
  EXPECT_EQ(ts.seconds(), 2208988799u);
  EXPECT_EQ(ts.toSysTime(utc(0)), t);
  timespec spec = timespecFromSysTime(t);
  EXPECT_EQ(spec.tv_sec, -1);
  EXPECT_EQ(spec.tv_nsec, 999'999'999);
}

TEST(NtpTimestamp, LowBit) {
  NtpTimestamp ts = NtpTimestamp::fromParts(7, 0x100);
  EXPECT_FALSE(ts.lowBit());
  EXPECT_TRUE(ts.withLowBit(true).lowBit());
  EXPECT_EQ(ts.withLowBit(true).fraction(), 0x101u);
  EXPECT_EQ(ts.withLowBit(true).withLowBit(false), ts);
}

TEST(NtpDifference, SignedAndWrapAware) {
  NtpTimestamp a = NtpTimestamp::fromParts(5, 0);
  NtpTimestamp b = NtpTimestamp::fromParts(0xFFFFFFFFu, 0x80000000u);  // 5.5 s earlier, other era
  EXPECT_EQ(ntpDifference(a, b), Nanos(5'500'000'000));
  EXPECT_EQ(ntpDifference(b, a), Nanos(-5'500'000'000));
  EXPECT_EQ(ntpDifference(a, a), Nanos(0));
  SysTime t = utc(1700000000, 123'456'789);
  EXPECT_EQ(ntpDifference(NtpTimestamp::fromSysTime(t + Nanos(1500)), NtpTimestamp::fromSysTime(t)),
            Nanos(1500));
}

TEST(NtpShort, ConversionsRoundUpAndSaturate) {
  EXPECT_EQ(NtpShort::fromNanos(Nanos(0)).raw(), 0u);
  EXPECT_EQ(NtpShort::fromNanos(Nanos(-5)).raw(), 0u);
  EXPECT_EQ(NtpShort::fromNanos(Nanos(1)).raw(), 1u);  // never rounds a delay to zero
  EXPECT_EQ(NtpShort::fromNanos(Nanos(kSec)).raw(), 0x10000u);
  EXPECT_EQ(NtpShort::fromNanos(Nanos(kSec / 2)).raw(), 0x8000u);
  EXPECT_EQ(NtpShort::fromNanos(Nanos(70000 * kSec)).raw(), 0xFFFFFFFFu);
  EXPECT_EQ(NtpShort::fromRaw(0x10000u).toNanos(), Nanos(kSec));
  EXPECT_EQ(NtpShort::fromRaw(1).toNanos(), Nanos(15258));  // 2^-16 s, truncated
  for (int64_t ns : {1LL, 15258LL, 15259LL, 1'000'000LL, 123'456'789LL}) {
    Nanos back = NtpShort::fromNanos(Nanos(ns)).toNanos();
    EXPECT_GE(back.count() + 1, ns);
    EXPECT_LT(back.count(), ns + 15259);
  }
}

TEST(Seconds, Conversions) {
  EXPECT_DOUBLE_EQ(toSeconds(Nanos(1'500'000'000)), 1.5);
  EXPECT_EQ(nanosFromSeconds(-0.000001), Nanos(-1000));
  EXPECT_EQ(nanosFromSeconds(1e30), Nanos(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(nanosFromSeconds(-1e30), Nanos(std::numeric_limits<int64_t>::min()));
}

}  // namespace
}  // namespace strata::common
