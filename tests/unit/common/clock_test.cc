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

}  // namespace
}  // namespace strata::common
