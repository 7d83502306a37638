#include "refclock/source_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

TEST(SourceStats, RecoversAnExactLine) {
  SourceStats s;
  for (int i = 0; i < 10; ++i) s.add(point(i * 16.0, 0.001 - 25e-6 * i * 16.0));
  const auto& e = s.estimate();
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->freq_valid);
  EXPECT_NEAR(e->freq, -25e-6, 1e-12);
  EXPECT_NEAR(e->offsetAt(at(144)), 0.001 - 25e-6 * 144, 1e-9);
  EXPECT_NEAR(e->offsetAt(at(160)), 0.001 - 25e-6 * 160, 1e-9);
  EXPECT_EQ(e->samples, 10);
  EXPECT_DOUBLE_EQ(e->span_s, 144);
}

TEST(SourceStats, NoFrequencyBelowMinSamples) {
  SourceStats s({.min_samples = 3, .max_samples = 64});
  s.add(point(0, 1e-3));
  s.add(point(1, 1e-3));
  ASSERT_TRUE(s.estimate());
  EXPECT_FALSE(s.estimate()->freq_valid);
  EXPECT_NEAR(s.estimate()->offset_s, 1e-3, 1e-12);
  s.add(point(2, 1e-3));
  EXPECT_TRUE(s.estimate()->freq_valid);
}

TEST(SourceStats, SkewBoundsTheTrueFrequencyOnNoisyData) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> noise(0, 1e-6);
  int covered = 0;
  for (int trial = 0; trial < 50; ++trial) {
    SourceStats s;
    for (int i = 0; i < 32; ++i) s.add(point(i, 5e-6 * i + noise(rng), 1e-6));
    const auto& e = *s.estimate();
    if (std::fabs(e.freq - 5e-6) <= e.skew) ++covered;
    EXPECT_NEAR(e.std_dev_s, 1e-6, 0.5e-6);
  }
  EXPECT_GE(covered, 44);  // a 95 % bound: about 47 of 50
}

TEST(SourceStats, RunsTestDropsAnOldFrequencyRegime) {
  SourceStats s({.min_samples = 3, .max_samples = 64});
  std::mt19937_64 rng(1);
  std::normal_distribution<double> noise(0, 10e-9);
  // 40 points at +10 ppm, then the frequency changes to -10 ppm.
  double off = 0;
  for (int i = 0; i < 40; ++i) {
    off += 10e-6;
    s.add(point(i, off + noise(rng), 10e-9));
  }
  for (int i = 40; i < 64; ++i) {
    off -= 10e-6;
    s.add(point(i, off + noise(rng), 10e-9));
  }
  const auto& e = *s.estimate();
  EXPECT_LT(e.samples, 40);  // the old regime is gone
  EXPECT_NEAR(e.freq, -10e-6, 1e-7);
}

TEST(SourceStats, KeepsAtMostMaxSamplesAndRejectsOutOfOrder) {
  SourceStats s({.min_samples = 3, .max_samples = 8});
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(s.add(point(i, 0)));
  EXPECT_EQ(s.size(), 8u);
  EXPECT_FALSE(s.add(point(19, 0)));
  EXPECT_FALSE(s.add(point(3, 0)));
}

TEST(SourceStats, ShiftsKeepTheModelConsistent) {
  SourceStats s;
  for (int i = 0; i < 10; ++i) s.add(point(i, 1e-3 + 2e-6 * i));
  double before = s.estimate()->offsetAt(at(20));
  // Raw jumps by +1 s: the same instant is now called at(21), and its offset is 1 s less.
  s.shiftRaw(Nanos(kSec));
  EXPECT_NEAR(s.estimate()->offsetAt(at(21)), before - 1.0, 1e-9);
  s.shiftOffset(Nanos(kSec));
  EXPECT_NEAR(s.estimate()->offsetAt(at(21)), before, 1e-9);
}

TEST(SourceStats, PredictionErrorGrowsAwayFromThePoints) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 1e-6);
  SourceStats s;
  for (int i = 0; i < 16; ++i) s.add(point(i, noise(rng)));
  const auto& e = *s.estimate();
  EXPECT_LT(e.offsetSdAt(at(7.5)), e.offsetSdAt(at(15)));
  EXPECT_LT(e.offsetSdAt(at(15)), e.offsetSdAt(at(100)));
}

TEST(StudentT, KnownQuantiles) {
  EXPECT_NEAR(studentT975(1), 12.706, 1e-3);
  EXPECT_NEAR(studentT975(10), 2.228, 1e-3);
  EXPECT_NEAR(studentT975(1000), 1.960, 1e-3);
}

}  // namespace
}  // namespace strata::refclock
