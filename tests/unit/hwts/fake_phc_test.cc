#include "hwts/fake_phc.h"

#include <gtest/gtest.h>

#include <cmath>

#include "hwts/phc_reader.h"

namespace strata::hwts {
namespace {

using common::Nanos;
using common::SimClock;
using common::sysTimeFromNanos;

constexpr int64_t kStart = 1'750'000'000'000'000'000;

TEST(FakePhc, OffsetAndFrequencyError) {
  SimClock clock(sysTimeFromNanos(kStart));
  FakePhcConfig config;
  config.offset = Nanos(37'000'000'000);
  config.freq_error = 10e-6;
  FakePhc phc(clock, config);
  EXPECT_EQ(phc.phcAt(clock.trueTime()).ns, kStart + 37'000'000'000);
  clock.advance(Nanos(1'000'000'000));
  // 10 ppm over one second: 10 µs ahead of nominal.
  EXPECT_EQ(phc.phcAt(clock.trueTime()).ns, kStart + 38'000'000'000 + 10'000);
}

TEST(FakePhc, StepAndFrequencyChangeKeepContinuity) {
  SimClock clock(sysTimeFromNanos(kStart));
  FakePhc phc(clock, {});
  clock.advance(Nanos(500));
  phc.step(Nanos(-1'000'000));
  EXPECT_EQ(phc.phcAt(clock.trueTime()).ns, kStart + 500 - 1'000'000);
  phc.setFrequencyError(-1e-3);
  const int64_t before = phc.phcAt(clock.trueTime()).ns;
  clock.advance(Nanos(1'000'000));
  EXPECT_EQ(phc.phcAt(clock.trueTime()).ns, before + 1'000'000 - 1'000);
}

TEST(FakePhc, SystemAtFollowsSimClock) {
  SimClock clock(sysTimeFromNanos(kStart));
  clock.setFrequencyError(100e-6);
  clock.step(Nanos(42));
  FakePhc phc(clock, {});
  EXPECT_EQ(phc.systemAt(clock.trueTime()), clock.now());
  // 10 µs ahead at +100 ppm: the system clock gains 1 ns.
  EXPECT_EQ(phc.systemAt(clock.trueTime() + Nanos(10'000)), clock.now() + Nanos(10'001));
}

TEST(FakePhc, JitterHasTheConfiguredSpreadAndIsReproducible) {
  SimClock clock(sysTimeFromNanos(kStart));
  FakePhcConfig config;
  config.supports_precise = true;
  config.read_jitter = Nanos(50);
  config.seed = 7;
  FakePhc a(clock, config), b(clock, config);
  double sum = 0, sum2 = 0;
  constexpr int kN = 20000;
  for (int i = 0; i < kN; ++i) {
    PhcCrossTimestamp ta, tb;
    ASSERT_EQ(a.crossTimestamp(ta), 0);
    ASSERT_EQ(b.crossTimestamp(tb), 0);
    ASSERT_EQ(ta.phc, tb.phc);  // same seed, same sequence
    const double e = static_cast<double>(ta.phc.ns - a.phcAt(clock.trueTime()).ns);
    sum += e;
    sum2 += e * e;
  }
  const double mean = sum / kN;
  const double sd = std::sqrt(sum2 / kN - mean * mean);
  EXPECT_NEAR(mean, 0.0, 2.0);
  EXPECT_NEAR(sd, 50.0, 2.0);
}

TEST(FakePhc, TripletsAreOrderedAndInjectHitsOneReading) {
  SimClock clock(sysTimeFromNanos(kStart));
  FakePhcConfig config;
  config.read_delay_min = Nanos(100);
  config.read_delay_max = Nanos(300);
  FakePhc phc(clock, config);
  std::array<PhcTriplet, 8> t;
  ASSERT_EQ(phc.basicReadings(t), 0);
  for (size_t i = 0; i < t.size(); ++i) {
    EXPECT_GE(t[i].sys_after - t[i].sys_before, Nanos(200));
    EXPECT_LE(t[i].sys_after - t[i].sys_before, Nanos(600));
    if (i > 0) EXPECT_EQ(t[i].sys_before, t[i - 1].sys_after);  // chained like PTP_SYS_OFFSET
  }
  phc.inject(Nanos(5'000));
  ASSERT_EQ(phc.extendedReadings(t), 0);
  auto glitched = narrowestTriplet(t, PhcReadMethod::kExtended);
  ASSERT_EQ(phc.extendedReadings(t), 0);
  auto clean = narrowestTriplet(t, PhcReadMethod::kExtended);
  const int64_t off_glitched = glitched->phc.ns - common::nanosSinceEpoch(glitched->sys);
  const int64_t off_clean = clean->phc.ns - common::nanosSinceEpoch(clean->sys);
  EXPECT_NEAR(static_cast<double>(off_glitched - off_clean), 5000.0, 300.0);
}

TEST(FakePhc, UnsupportedMethodsAndBadSizes) {
  SimClock clock(sysTimeFromNanos(kStart));
  FakePhcConfig config;
  config.supports_extended = false;
  FakePhc phc(clock, config);
  PhcCrossTimestamp c;
  EXPECT_EQ(phc.crossTimestamp(c), EOPNOTSUPP);
  std::array<PhcTriplet, 3> t;
  EXPECT_EQ(phc.extendedReadings(t), EOPNOTSUPP);
  EXPECT_EQ(phc.basicReadings(std::span<PhcTriplet>()), EINVAL);
}

}  // namespace
}  // namespace strata::hwts
