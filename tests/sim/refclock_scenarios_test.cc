// Discipline scenarios of issue 7 with their thresholds. Each runs a real TimeKeeper (filter,
// statistics, selection, servo, SoftwareClock) against a simulated oscillator and simulated
// reference clocks with fixed seeds; the error is served time minus true time, sampled once
// per true second. bench/sim prints the same figures.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/sim/sim_world.h"

namespace strata::sim {
namespace {

using proto::LeapIndicator;
using refclock::RejectReason;
using refclock::SelectStatus;

TEST(SimPps, LocksWithinSixtySecondsAndHoldsFiftyNanosecondsRms) {
  Scenario sc = ppsScenario();
  ASSERT_DOUBLE_EQ(sc.oscillator.initial_freq, 20e-6);
  RunResult r = runScenario(sc);
  // |offset| < 1 us within 60 s: from t = 60 s to the end of the run.
  ErrorStats after60 = errorStats(r, 60, sc.duration_s + 1);
  EXPECT_LT(after60.max_abs_s, 1e-6);
  EXPECT_GT(after60.rows, 1700);
  // Steady state.
  ErrorStats steady = errorStats(r, 300, sc.duration_s + 1);
  EXPECT_LE(steady.rms_s, 50e-9) << "RMS " << steady.rms_s * 1e9 << " ns";
  // The 20 us edges were seen and thrown out, not followed.
  EXPECT_GT(r.rejects[1][static_cast<size_t>(RejectReason::kOutlier)], 5u);
  // It learnt the oscillator's frequency.
  EXPECT_NEAR(r.final_tracking.frequency_ppm, 20.0, 0.01);
  EXPECT_EQ(r.final_tracking.stratum, 1);
}

TEST(SimPps, SameUnderKernelClockControl) {
  // The discipline steers the (simulated) kernel clock with clock_adjtime requests instead of
  // a software correction: raw-time bookkeeping must make it just as good.
  Scenario sc = ppsScenario();
  sc.kernel_clock = true;
  RunResult r = runScenario(sc);
  ErrorStats after60 = errorStats(r, 60, sc.duration_s + 1);
  EXPECT_LT(after60.max_abs_s, 1e-6);
  ErrorStats steady = errorStats(r, 300, sc.duration_s + 1);
  EXPECT_LE(steady.rms_s, 50e-9) << "RMS " << steady.rms_s * 1e9 << " ns";
  EXPECT_NEAR(r.final_tracking.frequency_ppm, 20.0, 0.01);
}

TEST(SimPhc, HoldsOneHundredNanosecondsRms) {
  Scenario sc = phcScenario();
  RunResult r = runScenario(sc);
  ErrorStats steady = errorStats(r, 60, sc.duration_s + 1);
  EXPECT_LE(steady.rms_s, 100e-9) << "RMS " << steady.rms_s * 1e9 << " ns";
  EXPECT_LT(steady.max_abs_s, 1e-6);  // through a minute of failed reads
  EXPECT_NEAR(r.final_tracking.frequency_ppm, -35.0, 0.01);
  EXPECT_GE(r.rejects[0][static_cast<size_t>(RejectReason::kDeviceError)], 200u);
}

TEST(SimHoldover, ErrorStaysWithinTheFrequencyEstimateAndTheAdvertisedBound) {
  Scenario sc = holdoverScenario();
  const double loss = 1800, back = 1800 + 3600;
  double skew_at_loss = 0;
  RunResult r = runScenario(sc, [&](double t, refclock::TimeKeeper& tk) {
    if (t == loss) skew_at_loss = tk.tracking(SysTime{}).skew_ppm * 1e-6;
  });
  ASSERT_GT(skew_at_loss, 0);
  const double e0 = r.trace[static_cast<size_t>(loss) - 1].error_s;
  const double wander = sc.oscillator.wander;
  // Root delay and dispersion travel as NTP short values, rounded up to 2^-16 s each: the
  // bound a client computes is up to 1.5 such units above the daemon's own.
  const double quantum = 1.5 / 65536 + 2e-6;
  bool saw_unsync = false;
  for (const auto& row : r.trace) {
    if (row.t_s <= loss || row.t_s >= back) continue;
    const double dt = row.t_s - loss;
    // 1. Error bounded by the frequency estimate's error (skew) plus what the oscillator's
    //    random walk can add (3 sigma of its integrated offset).
    double predicted = std::fabs(e0) + skew_at_loss * dt +
                       3 * wander * std::pow(dt, 1.5) / std::sqrt(3.0) + 100e-9;
    ASSERT_LE(std::fabs(row.error_s), predicted) << "t=" << row.t_s;
    // 2. While it claims to be synchronised, the advertised bound covers the real error, and
    //    it stops claiming so once the bound passes maxdistance (1 ms here).
    if (row.leap != LeapIndicator::kUnsynchronized) {
      ASSERT_FALSE(saw_unsync) << "resynchronised without a reference at t=" << row.t_s;
      ASSERT_LE(std::fabs(row.error_s), row.bound_s) << "t=" << row.t_s;
      ASSERT_LE(row.bound_s, sc.options.selection.max_distance_s + quantum) << "t=" << row.t_s;
      ASSERT_EQ(row.stratum, 1);
    } else {
      saw_unsync = true;
      ASSERT_EQ(row.stratum, 16);
      ASSERT_GT(row.bound_s, sc.options.selection.max_distance_s);
    }
  }
  EXPECT_TRUE(saw_unsync);
  // The reference comes back: synchronised again, and accurate.
  EXPECT_EQ(r.trace.back().leap, LeapIndicator::kNone);
  ErrorStats after = errorStats(r, back + 300, sc.duration_s + 1);
  EXPECT_LE(after.rms_s, 100e-9);
}

TEST(SimFalseticker, FiveMillisecondsOffAmongThreeGoodIsNeverUsed) {
  Scenario sc = falsetickerScenario();
  ASSERT_DOUBLE_EQ(sc.sources[3].bias_s, 5e-3);
  RunResult r = runScenario(sc);
  int marked = 0;
  for (const auto& row : r.trace) {
    ASSERT_NE(row.status[3], SelectStatus::kSelected) << "t=" << row.t_s;
    ASSERT_NE(row.status[3], SelectStatus::kCombined) << "t=" << row.t_s;
    ASSERT_NE(row.selected, 3);
    if (row.status[3] == SelectStatus::kFalseticker) ++marked;
  }
  EXPECT_GT(marked, static_cast<int>(r.trace.size()) - 60);
  ErrorStats steady = errorStats(r, 120, sc.duration_s + 1);
  EXPECT_LT(steady.max_abs_s, 1e-6);
}

TEST(SimDeterminism, SameSeedSameTrace) {
  Scenario sc = ppsScenario();
  sc.duration_s = 120;
  RunResult a = runScenario(sc);
  RunResult b = runScenario(sc);
  ASSERT_EQ(a.trace.size(), b.trace.size());
  for (size_t i = 0; i < a.trace.size(); ++i) EXPECT_EQ(a.trace[i].error_s, b.trace[i].error_s);
}

}  // namespace
}  // namespace strata::sim
