#include "refclock/filter.h"

#include <gtest/gtest.h>

#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

TEST(SampleFilter, NeedsMinSamplesAndEmptiesTheWindow) {
  SampleFilter f({.length = 16, .min_samples = 4});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(f.add(point(i, 0)), FilterReject::kNone);
  EXPECT_FALSE(f.take().has_value());
  EXPECT_EQ(f.size(), 0u);
  for (int i = 3; i < 7; ++i) f.add(point(i, 0));
  EXPECT_TRUE(f.take().has_value());
  EXPECT_EQ(f.size(), 0u);
}

TEST(SampleFilter, DropsTheOutlierAndAveragesTheRest) {
  SampleFilter f({.length = 16, .min_samples = 4});
  // Five residuals around 100 ns and one at 50 us.
  const double offs[] = {100e-9, 110e-9, 90e-9, 50e-6, 105e-9, 95e-9};
  for (int i = 0; i < 6; ++i) f.add(point(i, offs[i]));
  auto m = f.take();
  ASSERT_TRUE(m);
  // 60 % of 6 = 4 kept: the four nearest the median (the outlier and one extreme go).
  EXPECT_NEAR(common::toSeconds(m->offset), 100e-9, 6e-9);
  EXPECT_LT(common::toSeconds(m->dispersion), 1e-5);
}

TEST(SampleFilter, AveragedTimeMatchesAveragedOffsetOnADriftingRawClock) {
  // Raw clock 20 ppm fast: reference - raw falls 20 us per second; the residual (against a
  // correction that follows it) is flat. The output must lie on the drift line.
  SampleFilter f({.length = 16, .min_samples = 4});
  for (int i = 0; i < 16; ++i) {
    Measurement m = point(i, -20e-6 * i);
    m.residual = Nanos(i % 2 == 0 ? 30 : -30);
    f.add(m);
  }
  auto m = f.take();
  ASSERT_TRUE(m);
  double t = common::toSeconds(m->time - kT0);
  EXPECT_NEAR(common::toSeconds(m->offset), -20e-6 * t, 1e-9);
}

TEST(SampleFilter, RejectsOutOfOrderEvenAcrossTakes) {
  SampleFilter f({.length = 4, .min_samples = 1});
  EXPECT_EQ(f.add(point(10, 0)), FilterReject::kNone);
  EXPECT_EQ(f.add(point(10, 0)), FilterReject::kOutOfOrder);
  EXPECT_EQ(f.add(point(9, 0)), FilterReject::kOutOfOrder);
  EXPECT_TRUE(f.take());
  EXPECT_EQ(f.add(point(9.5, 0)), FilterReject::kOutOfOrder);
  f.reset();
  EXPECT_EQ(f.add(point(9.5, 0)), FilterReject::kNone);
}

TEST(SampleFilter, KeepsOnlyTheNewestLengthSamples) {
  SampleFilter f({.length = 4, .min_samples = 4});
  for (int i = 0; i < 4; ++i) f.add(point(i, 1.0));  // old regime
  for (int i = 4; i < 8; ++i) f.add(point(i, 2.0));
  auto m = f.take();
  ASSERT_TRUE(m);
  EXPECT_NEAR(common::toSeconds(m->offset), 2.0, 1e-9);
}

TEST(SampleFilter, ByDelayPrefersShortRoundTrips) {
  SampleFilter f({.length = 8, .min_samples = 1, .by_delay = true, .keep_fraction = 0.25});
  for (int i = 0; i < 8; ++i) {
    Measurement m = point(i, i == 5 ? 1e-3 : 2e-3);
    m.delay = Nanos(i == 5 ? 10'000 : 500'000);
    f.add(m);
  }
  auto m = f.take();
  ASSERT_TRUE(m);
  // keep 2 of 8: the shortest (1 ms offset) and one other.
  EXPECT_EQ(m->delay, Nanos(10'000));
  EXPECT_LT(common::toSeconds(m->offset), 2e-3);
}

TEST(SampleFilter, ShiftResidualMovesWaitingSamples) {
  SampleFilter f({.length = 4, .min_samples = 1});
  f.add(point(1, 5e-6));
  f.shiftResidual(Nanos(5000));
  auto m = f.take();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->residual, Nanos(0));
  EXPECT_EQ(m->offset, Nanos(5000));  // raw offsets do not change with a served step
}

}  // namespace
}  // namespace strata::refclock
