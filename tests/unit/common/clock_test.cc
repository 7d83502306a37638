#include "common/clock.h"

#include <gtest/gtest.h>

namespace strata::common {
namespace {

TEST(SimClock, FrequencyErrorAccumulatesOffset) {
  SysTime start = sysTimeFromNanos(1'700'000'000LL * kNanosPerSecond);
  SimClock clock(start);
  EXPECT_EQ(clock.now(), start);
  clock.setFrequencyError(20e-6);  // gains 20 µs per second
  clock.advance(Nanos(10 * kNanosPerSecond));
  EXPECT_EQ(clock.offset(), Nanos(200'000));
  EXPECT_EQ(clock.now(), start + Nanos(10 * kNanosPerSecond + 200'000));
  clock.step(Nanos(-200'000));
  EXPECT_EQ(clock.offset(), Nanos(0));
  clock.setFrequencyError(0);
  clock.advance(Nanos(kNanosPerSecond));
  EXPECT_EQ(clock.offset(), Nanos(0));
}

TEST(SystemClock, ReadsRealtime) {
  SystemClock clock;
  SysTime a = clock.now();
  SysTime b = realtimeNow();
  EXPECT_LE(a, b);
  EXPECT_LT(b - a, Nanos(kNanosPerSecond));
  EXPECT_GT(nanosSinceEpoch(a), 1'600'000'000LL * kNanosPerSecond);
}

TEST(ClockPrecision, Log2FromStep) {
  EXPECT_EQ(precisionLog2FromNanos(29), -25);  // 2^-25 s is 29.8 ns
  EXPECT_EQ(precisionLog2FromNanos(30), -24);
  EXPECT_EQ(precisionLog2FromNanos(1000), -19);
  EXPECT_EQ(precisionLog2FromNanos(1), -29);
  EXPECT_EQ(precisionLog2FromNanos(5'000'000'000), 0);
  int8_t measured = measureClockPrecisionLog2();
  EXPECT_GE(measured, -29);
  EXPECT_LE(measured, -10);  // any machine reads its clock better than to a millisecond
}

}  // namespace
}  // namespace strata::common
