// driftfile, makestep, rtcsync, minsources, max* limits, corrtimeratio, combinelimit,
// reselectdist, stratumweight, leapsectz, leapsecmode, smoothtime, fallbackdrift, manual.
#include <gtest/gtest.h>

#include "test_util.h"

namespace strata::config {
namespace {

using common::Nanos;
using testing::parse;
using testing::parseError;
using testing::parseOk;

TEST(DisciplineDefaults, AreChronys) {
  DisciplineConfig d = parseOk("").discipline;
  EXPECT_FALSE(d.driftfile);
  EXPECT_FALSE(d.makestep);
  EXPECT_FALSE(d.rtcsync);
  EXPECT_EQ(d.min_sources, 1);
  EXPECT_EQ(d.max_distance, Nanos(3'000'000'000));
  EXPECT_EQ(d.max_jitter, Nanos(1'000'000'000));
  EXPECT_EQ(d.max_update_skew_ppm, 1000.0);
  EXPECT_EQ(d.max_slew_rate_ppm, 1e6 / 12.0);
  EXPECT_EQ(d.max_drift_ppm, 500000.0);
  EXPECT_EQ(d.max_clock_error_ppm, 1.0);
  EXPECT_FALSE(d.maxchange);
  EXPECT_EQ(d.corr_time_ratio, 3.0);
  EXPECT_EQ(d.combine_limit, 3.0);
  EXPECT_EQ(d.reselect_distance, Nanos(100'000));
  EXPECT_EQ(d.stratum_weight, Nanos(1'000'000));
  EXPECT_EQ(d.leapsectz, "");
  EXPECT_EQ(d.leapsecmode, LeapSecMode::kSystem);
  EXPECT_FALSE(d.smoothtime);
  EXPECT_EQ(d.fallback_drift_min_log2, 0);
  EXPECT_EQ(d.fallback_drift_max_log2, 0);
  EXPECT_FALSE(d.manual);
}

TEST(DriftFile, PathAndInterval) {
  auto d = parseOk("driftfile /var/lib/chrony/drift").discipline.driftfile;
  ASSERT_TRUE(d);
  EXPECT_EQ(d->path, "/var/lib/chrony/drift");
  EXPECT_EQ(d->interval, std::chrono::seconds(3600));
  EXPECT_EQ(parseOk("driftfile /d interval 60").discipline.driftfile->interval,
            std::chrono::seconds(60));
  EXPECT_EQ(parseError("driftfile"),
            "/etc/strata/strata.conf:1: driftfile: expected FILE [interval SECONDS], got nothing");
  EXPECT_EQ(parseError("driftfile /d interval 0"),
            "/etc/strata/strata.conf:1: driftfile: interval must be an integer from 1 to "
            "2147483647, got \"0\"");
  EXPECT_EQ(parseError("driftfile /d other"),
            "/etc/strata/strata.conf:1: driftfile: unknown option \"other\"");
}

TEST(MakeStep, ThresholdAndLimit) {
  auto m = parseOk("makestep 1.0 3").discipline.makestep;
  ASSERT_TRUE(m);
  EXPECT_EQ(m->threshold, Nanos(1'000'000'000));
  EXPECT_EQ(m->limit, 3);
  m = parseOk("makestep 0.1 -1").discipline.makestep;
  EXPECT_EQ(m->threshold, Nanos(100'000'000));
  EXPECT_EQ(m->limit, -1);
  EXPECT_EQ(parseOk("makestep 1e-1 3\nmakestep 2 5").discipline.makestep->limit, 5);
}

TEST(MakeStep, Errors) {
  const std::string at = "/etc/strata/strata.conf:12: makestep: ";
  std::string pad(11, '\n');
  EXPECT_EQ(parseError(pad + "makestep 1.0"), at + "expected THRESHOLD LIMIT, got \"1.0\"");
  EXPECT_EQ(parseError(pad + "makestep"), at + "expected THRESHOLD LIMIT, got nothing");
  EXPECT_EQ(parseError(pad + "makestep 1.0 3 4"), at + "expected THRESHOLD LIMIT, got \"1.0 3 4\"");
  EXPECT_EQ(parseError(pad + "makestep 1,0 3"),
            at + "THRESHOLD must be a number of seconds from 0 to 1000000000, got \"1,0\"");
  EXPECT_EQ(parseError(pad + "makestep 1.0 3.5"),
            at + "LIMIT must be an integer from -2147483648 to 2147483647, got \"3.5\"");
}

TEST(Flags, TakeNoArguments) {
  Config c = parseOk("rtcsync\nmanual\n");
  EXPECT_TRUE(c.discipline.rtcsync);
  EXPECT_TRUE(c.discipline.manual);
  EXPECT_EQ(parseError("rtcsync 1"),
            "/etc/strata/strata.conf:1: rtcsync: expected no arguments, got \"1\"");
  EXPECT_EQ(parseError("manual on"),
            "/etc/strata/strata.conf:1: manual: expected no arguments, got \"on\"");
}

TEST(Limits, SecondsPpmAndRatios) {
  DisciplineConfig d = parseOk(
                           "minsources 2\nmaxdistance 16\nmaxjitter 0.5\nmaxupdateskew 100.0\n"
                           "maxslewrate 1000\nmaxdrift 500\nmaxclockerror 0.1\n"
                           "corrtimeratio 10\ncombinelimit 0\nreselectdist 1e-3\n"
                           "stratumweight 0\n")
                           .discipline;
  EXPECT_EQ(d.min_sources, 2);
  EXPECT_EQ(d.max_distance, Nanos(16'000'000'000));
  EXPECT_EQ(d.max_jitter, Nanos(500'000'000));
  EXPECT_EQ(d.max_update_skew_ppm, 100.0);
  EXPECT_EQ(d.max_slew_rate_ppm, 1000.0);
  EXPECT_EQ(d.max_drift_ppm, 500.0);
  EXPECT_EQ(d.max_clock_error_ppm, 0.1);
  EXPECT_EQ(d.corr_time_ratio, 10.0);
  EXPECT_EQ(d.combine_limit, 0.0);
  EXPECT_EQ(d.reselect_distance, Nanos(1'000'000));
  EXPECT_EQ(d.stratum_weight, Nanos(0));
}

TEST(Limits, Errors) {
  EXPECT_EQ(parseError("minsources 0"),
            "/etc/strata/strata.conf:1: minsources: SOURCES must be an integer from 1 to 256, "
            "got \"0\"");
  EXPECT_EQ(parseError("maxdistance -1"),
            "/etc/strata/strata.conf:1: maxdistance: DISTANCE must be a number of seconds from 0 "
            "to 1000000, got \"-1\"");
  EXPECT_EQ(parseError("maxupdateskew nan"),
            "/etc/strata/strata.conf:1: maxupdateskew: SKEW-IN-PPM must be a number from 0 to "
            "1000000, got \"nan\"");
  EXPECT_EQ(parseError("maxslewrate"),
            "/etc/strata/strata.conf:1: maxslewrate: expected RATE-IN-PPM, got nothing");
  EXPECT_EQ(parseError("combinelimit 1 2"),
            "/etc/strata/strata.conf:1: combinelimit: expected LIMIT, got \"1 2\"");
}

TEST(MaxChange, ThreeValues) {
  auto m = parseOk("maxchange 1000 1 2").discipline.maxchange;
  ASSERT_TRUE(m);
  EXPECT_EQ(m->offset, Nanos(1'000'000'000'000));
  EXPECT_EQ(m->start, 1);
  EXPECT_EQ(m->ignore, 2);
  EXPECT_EQ(parseOk("maxchange 0.5 0 -1").discipline.maxchange->ignore, -1);
  EXPECT_EQ(parseError("maxchange 1000 1"),
            "/etc/strata/strata.conf:1: maxchange: expected OFFSET START IGNORE, got \"1000 1\"");
  EXPECT_EQ(parseError("maxchange 1000 -1 2"),
            "/etc/strata/strata.conf:1: maxchange: START must be an integer from 0 to "
            "2147483647, got \"-1\"");
}

TEST(LeapSeconds, TzAndModes) {
  EXPECT_EQ(parseOk("leapsectz right/UTC").discipline.leapsectz, "right/UTC");
  EXPECT_EQ(parseOk("leapsecmode step").discipline.leapsecmode, LeapSecMode::kStep);
  EXPECT_EQ(parseOk("leapsecmode SLEW").discipline.leapsecmode, LeapSecMode::kSlew);
  EXPECT_EQ(parseOk("leapsecmode ignore").discipline.leapsecmode, LeapSecMode::kIgnore);
  EXPECT_EQ(parseOk("leapsecmode slew\nleapsecmode system").discipline.leapsecmode,
            LeapSecMode::kSystem);
  EXPECT_EQ(parseError("leapsecmode foo"),
            "/etc/strata/strata.conf:1: leapsecmode: MODE must be system, step, slew or ignore, "
            "got \"foo\"");
  EXPECT_EQ(parseError("leapsectz"),
            "/etc/strata/strata.conf:1: leapsectz: expected TIMEZONE, got nothing");
}

TEST(SmoothTime, TypedButUnsupported) {
  auto p = parse("smoothtime 400 0.001 leaponly");
  ASSERT_TRUE(p.ok()) << p.error();
  auto s = p.config->discipline.smoothtime;
  ASSERT_TRUE(s);
  EXPECT_EQ(s->max_freq_ppm, 400.0);
  EXPECT_EQ(s->max_wander_ppm_per_s, 0.001);
  EXPECT_TRUE(s->leap_only);
  EXPECT_EQ(p.warnings, (std::vector<std::string>{
                            "/etc/strata/strata.conf:1: smoothtime is parsed but not supported "
                            "by Strata; ignored"}));
  EXPECT_FALSE(parseOk("smoothtime 50000 0.01").discipline.smoothtime->leap_only);
  EXPECT_EQ(parseError("smoothtime 400"),
            "/etc/strata/strata.conf:1: smoothtime: expected MAXFREQ MAXWANDER [leaponly], got "
            "\"400\"");
  EXPECT_EQ(parseError("smoothtime 400 0.01 always"),
            "/etc/strata/strata.conf:1: smoothtime: the third argument must be leaponly, got "
            "\"always\"");
}

TEST(FallbackDrift, Intervals) {
  DisciplineConfig d = parseOk("fallbackdrift 16 19").discipline;
  EXPECT_EQ(d.fallback_drift_min_log2, 16);
  EXPECT_EQ(d.fallback_drift_max_log2, 19);
  EXPECT_EQ(parseError("fallbackdrift 16"),
            "/etc/strata/strata.conf:1: fallbackdrift: expected MIN-INTERVAL MAX-INTERVAL, got "
            "\"16\"");
  EXPECT_EQ(parseError("fallbackdrift 19 16"),
            "/etc/strata/strata.conf:1: fallbackdrift: MIN-INTERVAL must not exceed "
            "MAX-INTERVAL, got \"19 16\"");
  EXPECT_EQ(parseError("fallbackdrift 1 31"),
            "/etc/strata/strata.conf:1: fallbackdrift: MAX-INTERVAL must be an integer from 0 "
            "to 30, got \"31\"");
}

}  // namespace
}  // namespace strata::config
