#include "refclock/servo.h"

#include <gtest/gtest.h>

#include "refclock/combining.h"

namespace strata::refclock {
namespace {

TEST(Servo, AdoptsAFrequencyWithASmallSkewOnly) {
  Servo s({}, 0.0, 1.0);
  ServoDecision d = s.update({.offset_s = 0, .freq = 12e-6, .skew = 2000e-6, .freq_valid = true});
  EXPECT_FALSE(d.freq_updated);  // above maxupdateskew (1000 ppm)
  EXPECT_EQ(d.freq, 0.0);
  EXPECT_DOUBLE_EQ(d.residual_freq, 12e-6);
  d = s.update({.offset_s = 0, .freq = 12e-6, .skew = 1e-9, .freq_valid = true});
  EXPECT_TRUE(d.freq_updated);
  EXPECT_DOUBLE_EQ(d.freq, 12e-6);
  EXPECT_DOUBLE_EQ(s.skew(), 1e-9);
}

TEST(Servo, MakestepOnlyWithinTheLimit) {
  ServoOptions o;
  o.makestep_threshold_s = 0.1;
  o.makestep_limit = 2;
  Servo s(o, 0.0, 1.0);
  EXPECT_FALSE(s.update({.offset_s = 0.05}).step);  // below threshold: slews
  ServoDecision d = s.update({.offset_s = 0.5});
  EXPECT_TRUE(d.step);
  EXPECT_DOUBLE_EQ(d.step_s, 0.5);
  d = s.update({.offset_s = 0.5});  // third update: limit reached
  EXPECT_FALSE(d.step);
  EXPECT_DOUBLE_EQ(d.slew_s, 0.5);
  s.setMakestep(0.1, 1);  // chronyc makestep 0.1 1: counts from now
  EXPECT_TRUE(s.update({.offset_s = 0.5}).step);
  EXPECT_FALSE(s.update({.offset_s = 0.5}).step);
}

TEST(Servo, NegativeLimitStepsAlways) {
  ServoOptions o;
  o.makestep_threshold_s = 1.0;
  o.makestep_limit = -1;
  Servo s(o, 0.0, 1.0);
  for (int i = 0; i < 10; ++i) s.update({.offset_s = 0});
  EXPECT_TRUE(s.update({.offset_s = -2.0}).step);
}

TEST(Servo, SlewTimeFollowsTheIntervalAndTheMaximumRate) {
  ServoOptions o;
  o.max_slew_rate = 500e-6;
  Servo s(o, 0.0, 1.0);
  ServoDecision d = s.update({.offset_s = 1e-6, .interval_s = 16});
  EXPECT_DOUBLE_EQ(d.slew_duration_s, 48);  // corrtimeratio 3 x 16 s
  d = s.update({.offset_s = 0.1, .interval_s = 16});
  EXPECT_DOUBLE_EQ(d.slew_duration_s, 200);  // 0.1 s at 500 ppm
  d = s.update({.offset_s = 1e-9, .interval_s = 0});
  EXPECT_DOUBLE_EQ(d.slew_duration_s, o.min_slew_time_s);
}

TEST(Servo, FrequencyIsClampedToMaxDrift) {
  ServoOptions o;
  o.max_drift = 100e-6;
  Servo s(o, 0.0, 1.0);
  EXPECT_DOUBLE_EQ(s.update({.freq = 300e-6, .skew = 1e-9, .freq_valid = true}).freq, 100e-6);
}

TEST(Combining, WeightsOffsetsByDistanceAndFrequenciesBySkew) {
  CombineInput a{.offset_s = 0,
                 .offset_sd_s = 1e-9,
                 .root_distance_s = 1e-6,
                 .freq = 1e-6,
                 .skew = 1e-9,
                 .freq_valid = true};
  CombineInput b{.offset_s = 3e-6,
                 .offset_sd_s = 1e-9,
                 .root_distance_s = 2e-6,
                 .freq = 2e-6,
                 .skew = 2e-9,
                 .freq_valid = true};
  CombineInput in[] = {a, b};
  Combined c = combineSources(in);
  EXPECT_EQ(c.count, 2);
  EXPECT_NEAR(c.offset_s, 1e-6, 1e-12);               // weights 2:1
  EXPECT_NEAR(c.freq, (4 * 1e-6 + 2e-6) / 5, 1e-15);  // weights 1/skew^2: 4:1
  EXPECT_LT(c.skew, 1e-9);
  CombineInput none[] = {CombineInput{.offset_s = 5e-6, .root_distance_s = 1e-6}};
  Combined d = combineSources(none);
  EXPECT_FALSE(d.freq_valid);
  EXPECT_DOUBLE_EQ(d.offset_s, 5e-6);
}

}  // namespace
}  // namespace strata::refclock
