#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "refclock/driftfile.h"
#include "refclock/stat_logs.h"
#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/strata-refclock-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Driftfile, ParsesChronysFormat) {
  auto d = parseDriftfile("          -12.345678             0.123000\n");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_DOUBLE_EQ(d->freq_ppm, -12.345678);
  EXPECT_DOUBLE_EQ(d->skew_ppm, 0.123);
  EXPECT_EQ(formatDriftfile(*d), "          -12.345678             0.123000\n");
  EXPECT_FALSE(parseDriftfile(""));
  EXPECT_FALSE(parseDriftfile("12.0"));
  EXPECT_FALSE(parseDriftfile("12.0 0.1 junk"));
  EXPECT_FALSE(parseDriftfile("nan 0.1"));
  EXPECT_FALSE(parseDriftfile("900000 0.1"));
  EXPECT_FALSE(parseDriftfile("1.0 -0.1"));
}

TEST(Driftfile, WriterWritesPeriodicallyAndOnFlush) {
  TempDir dir;
  std::string path = dir.path() + "/drift";
  DriftfileWriter w(path, 3600);
  w.onFrequency(at(0), 1.5, 0.01);
  EXPECT_FALSE(std::filesystem::exists(path));
  w.onFrequency(at(3600), 2.5, 0.02);
  auto d = readDriftfile(path);
  ASSERT_TRUE(d);
  EXPECT_DOUBLE_EQ(d->freq_ppm, 2.5);
  w.onFrequency(at(3700), 3.5, 0.03);
  EXPECT_DOUBLE_EQ(readDriftfile(path)->freq_ppm, 2.5);
  w.flush();  // exit
  EXPECT_DOUBLE_EQ(readDriftfile(path)->freq_ppm, 3.5);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_FALSE(readDriftfile(dir.path() + "/missing"));
}

TEST(StatLogs, LinesFollowChronysColumns) {
  TrackingLogEntry t;
  t.time = common::sysTimeFromNanos(1503408156LL * kSec);  // 2017-08-22 13:22:36
  t.reference_name = "203.0.113.15";
  t.stratum = 2;
  t.freq_ppm = -3.541;
  t.skew_ppm = 0.075;
  t.offset_s = -8.621e-06;
  t.combined = 2;
  t.offset_sd_s = 2.940e-03;
  t.remaining_correction_s = -2.084e-04;
  t.root_delay_s = 1.534e-02;
  t.root_dispersion_s = 3.472e-04;
  t.max_error_s = 8.304e-03;
  EXPECT_EQ(formatTrackingLine(t),
            "2017-08-22 13:22:36 203.0.113.15     2     -3.541      0.075 -8.621e-06 N  2 "
            " 2.940e-03 -2.084e-04  1.534e-02  3.472e-04  8.304e-03");
  RefclockLogEntry r;
  r.time = common::sysTimeFromNanos(1259591607LL * kSec);  // 2009-11-30 14:33:27
  r.name = "PPS2";
  r.poll_sequence = 7;
  r.pulse = true;
  r.raw_offset_s = 4.9e-07;
  r.cooked_offset_s = -6.741777e-07;
  r.dispersion_s = 1e-6;
  EXPECT_EQ(formatRefclockLine(r),
            "2009-11-30 14:33:27.000000 PPS2    7 N 1  4.900000e-07 -6.741777e-07  1.000e-06");
  StatisticsLogEntry s;
  s.time = common::sysTimeFromNanos(1470807650LL * kSec);
  s.name = "203.0.113.15";
  s.std_dev_s = 6.261e-03;
  s.est_offset_s = -3.247e-03;
  s.offset_sd_s = 2.220e-03;
  s.diff_freq = 1.874e-06;
  s.est_skew = 1.080e-06;
  s.stress = 7.8e-02;
  s.samples = 16;
  s.runs = 8;
  EXPECT_EQ(formatStatisticsLine(s),
            "2016-08-10 05:40:50 203.0.113.15     6.261e-03 -3.247e-03  2.220e-03  1.874e-06  "
            "1.080e-06 7.8e-02  16   0   8  0.00");
}

TEST(StatLogs, BannersAndReopen) {
  TempDir dir;
  auto logs = StatLogs::open(
      {.dir = dir.path() + "/log", .tracking = true, .refclocks = true, .banner_every = 2});
  ASSERT_TRUE(logs) << logs.error().message;
  TrackingLogEntry t;
  t.time = at(0);
  t.reference_name = "GPS";
  for (int i = 0; i < 3; ++i) (*logs)->onTracking(t);
  std::string text = slurp(dir.path() + "/log/tracking.log");
  // Banner, 2 lines, banner, 1 line: 3 + 2 + 3 + 1 = 9 lines.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 9);
  EXPECT_EQ(text.rfind(std::string(statLogBanner(StatLogKind::kTracking)), 0), std::string::npos);
  EXPECT_NE(text.find(statLogBanner(StatLogKind::kTracking)), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/log/statistics.log"));
  // logrotate moved the file: reopen starts a new one with a banner.
  std::filesystem::rename(dir.path() + "/log/tracking.log", dir.path() + "/log/tracking.log.1");
  ASSERT_TRUE((*logs)->reopen());
  (*logs)->onTracking(t);
  text = slurp(dir.path() + "/log/tracking.log");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);
}

}  // namespace
}  // namespace strata::refclock
