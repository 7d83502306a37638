#include "tools/strataperf/stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace strata::perf {
namespace {

TEST(SampleSet, EmptyHasZeroCount) {
  SampleSet s;
  Summary sum = s.summary();
  EXPECT_EQ(sum.count, 0u);
  EXPECT_EQ(sum.min_ns, 0);
  EXPECT_EQ(sum.max_ns, 0);
}

TEST(SampleSet, OneToHundred) {
  SampleSet s;
  // Added in a scrambled order: the statistics must not depend on it.
  for (int i = 0; i < 100; ++i) s.add(((i * 37) % 100) + 1);
  Summary sum = s.summary();
  EXPECT_EQ(sum.count, 100u);
  EXPECT_EQ(sum.min_ns, 1);
  EXPECT_EQ(sum.max_ns, 100);
  EXPECT_DOUBLE_EQ(sum.mean_ns, 50.5);
  // Population standard deviation of 1..n is sqrt((n^2 - 1) / 12).
  EXPECT_NEAR(sum.stddev_ns, std::sqrt((100.0 * 100.0 - 1) / 12), 1e-9);
  EXPECT_EQ(sum.p50_ns, 50);  // rank ceil(0.50 * 100) = 50
  EXPECT_EQ(sum.p99_ns, 99);  // rank ceil(0.99 * 100) = 99
  EXPECT_TRUE(sum.exact_percentiles);
}

TEST(SampleSet, NegativeValuesAndSkew) {
  SampleSet s;
  for (int64_t v : {-3000, -1000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 50000}) s.add(v);
  Summary sum = s.summary();
  EXPECT_EQ(sum.min_ns, -3000);
  EXPECT_EQ(sum.max_ns, 50000);
  EXPECT_DOUBLE_EQ(sum.mean_ns, 6000.0);
  EXPECT_EQ(sum.p50_ns, 2000);
  EXPECT_EQ(sum.p99_ns, 50000);  // rank ceil(9.9) = 10: the largest
  // Squared deviations: 81e6 + 49e6 + 7 * 16e6 + 1936e6 = 2178e6, over 10.
  EXPECT_NEAR(sum.stddev_ns, std::sqrt(217.8e6), 1e-6);
}

TEST(SampleSet, SingleSample) {
  SampleSet s;
  s.add(-42);
  Summary sum = s.summary();
  EXPECT_EQ(sum.count, 1u);
  EXPECT_EQ(sum.min_ns, -42);
  EXPECT_EQ(sum.p50_ns, -42);
  EXPECT_EQ(sum.p99_ns, -42);
  EXPECT_DOUBLE_EQ(sum.stddev_ns, 0.0);
}

TEST(SampleSet, MergeEqualsAddingEverything) {
  SampleSet a, b, all;
  for (int i = 0; i < 500; ++i) {
    int64_t v = (i * 7919) % 1000 - 300;
    (i % 3 ? a : b).add(v);
    all.add(v);
  }
  a.merge(b);
  Summary m = a.summary(), e = all.summary();
  EXPECT_EQ(m.count, e.count);
  EXPECT_EQ(m.min_ns, e.min_ns);
  EXPECT_EQ(m.max_ns, e.max_ns);
  EXPECT_NEAR(m.mean_ns, e.mean_ns, 1e-9);
  EXPECT_NEAR(m.stddev_ns, e.stddev_ns, 1e-9);
  EXPECT_EQ(m.p50_ns, e.p50_ns);
  EXPECT_EQ(m.p99_ns, e.p99_ns);
}

TEST(SampleSet, ReservoirKeepsExactMomentsAndFlagsPercentiles) {
  SampleSet s(100);
  for (int i = 1; i <= 10000; ++i) s.add(i);
  Summary sum = s.summary();
  EXPECT_EQ(sum.count, 10000u);
  EXPECT_EQ(sum.min_ns, 1);
  EXPECT_EQ(sum.max_ns, 10000);
  EXPECT_DOUBLE_EQ(sum.mean_ns, 5000.5);
  EXPECT_FALSE(sum.exact_percentiles);
  // A uniform sample of 100 out of 1..10000: the median lands near the middle.
  EXPECT_GT(sum.p50_ns, 3000);
  EXPECT_LT(sum.p50_ns, 7000);
}

TEST(SampleSet, ClearForgetsEverything) {
  SampleSet s;
  s.add(5);
  s.clear();
  s.add(-7);
  Summary sum = s.summary();
  EXPECT_EQ(sum.count, 1u);
  EXPECT_EQ(sum.max_ns, -7);
}

TEST(NearestRank, Definition) {
  std::vector<int64_t> v = {10, 20, 30, 40};
  EXPECT_EQ(nearestRankPercentile(v, 25), 10);
  EXPECT_EQ(nearestRankPercentile(v, 26), 20);
  EXPECT_EQ(nearestRankPercentile(v, 50), 20);
  EXPECT_EQ(nearestRankPercentile(v, 100), 40);
  EXPECT_EQ(nearestRankPercentile(v, 0.001), 10);
}

}  // namespace
}  // namespace strata::perf
