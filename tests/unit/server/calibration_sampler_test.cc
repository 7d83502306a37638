#include "server/calibration_sampler.h"

#include <gtest/gtest.h>

namespace strata::server {
namespace {

int sampledOf(CalibrationSampler& s, uint64_t& samples, int replies, int64_t start_ns,
              int64_t step_ns) {
  int taken = 0;
  for (int i = 0; i < replies; ++i) {
    if (s.take(samples, start_ns + i * step_ns)) {
      ++samples;
      ++taken;
    }
  }
  return taken;
}

TEST(CalibrationSampler, SamplesEveryReplyDuringWarmUp) {
  CalibrationSampler s(16, 1'000'000, 32);
  uint64_t samples = 0;
  // 32 replies within a microsecond: all sampled (no model yet).
  EXPECT_EQ(sampledOf(s, samples, 32, 0, 10), 32);
}

TEST(CalibrationSampler, OneInEveryAtModerateRates) {
  CalibrationSampler s(16, 1'000'000, 0);
  uint64_t samples = 0;
  // 5000 req/s for one second: replies 200 us apart, the count decides.
  const int taken = sampledOf(s, samples, 5000, 0, 200'000);
  EXPECT_EQ(taken, 5000 / 16);
}

TEST(CalibrationSampler, AtMostOnePerSpacingAtHighRates) {
  CalibrationSampler s(16, 1'000'000, 0);
  uint64_t samples = 0;
  // 100000 req/s for one second: replies 10 us apart, the spacing decides (~1000, not 6250).
  const int taken = sampledOf(s, samples, 100'000, 0, 10'000);
  EXPECT_GE(taken, 990);
  EXPECT_LE(taken, 1001);
}

}  // namespace
}  // namespace strata::server
