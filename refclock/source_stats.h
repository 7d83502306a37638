#pragma once
// Per-source statistics: a weighted linear regression of the measured offsets (reference -
// raw) against raw time over the source's recent filtered measurements. It yields what
// chronyc's `sourcestats` shows: number of points (NP), number of runs of residual signs (NR),
// span, frequency, its error bound (skew), offset and standard deviation.
//
// Old points are dropped when the residuals stop looking random (too few runs of equal sign,
// a normal-approximation runs test): the raw clock's frequency wandered and a straight line
// no longer fits the whole history. Weights are 1/dispersion^2.
//
// Units: times on the raw timescale, offsets in seconds (double), frequencies dimensionless
// (1e-6 = 1 ppm): `freq` is d(reference - raw)/d(raw), i.e. the rate at which the served time
// must gain on the raw clock. Pure; not thread-safe (one owner).

#include <cstdint>
#include <deque>
#include <optional>

#include "refclock/sample.h"

namespace strata::refclock {

struct StatsOptions {
  int min_samples = 3;   // points needed before an estimate with a frequency exists
  int max_samples = 64;  // newest points kept
};

struct StatsEstimate {
  SysTime ref_time{};       // raw time of the newest point; offset below is at this time
  double offset_s = 0;      // reference - raw at ref_time, from the regression line
  double offset_sd_s = 0;   // standard error of offset_s
  double freq = 0;          // slope, dimensionless
  double skew = 1.0;        // error bound of freq (Student-t 97.5 % quantile x standard error)
  bool freq_valid = false;  // false with fewer than min_samples points (freq is then 0)
  double std_dev_s = 0;     // residual standard deviation of one point
  int samples = 0;          // NP
  int runs = 0;             // NR
  int discarded = 0;        // points dropped by the runs test in the last regression
  double span_s = 0;        // newest - oldest point time
  double stress = 0;        // |previous freq - freq| / previous skew (statistics.log)

  // Extrapolated offset (reference - raw) at raw time t.
  double offsetAt(SysTime t) const;
  // Standard error of offsetAt(t) (grows with the distance from the points' centre).
  double offsetSdAt(SysTime t) const;

  // Regression internals for offsetSdAt.
  double mean_x_s = 0;    // weighted mean of point times, relative to ref_time (<= 0)
  double sxx = 0;         // weighted sum of squares of times around the mean (s^2)
  double weight_sum = 0;  // normalised: equals samples
};

class SourceStats {
 public:
  explicit SourceStats(StatsOptions options = {});

  // Adds a filtered measurement and re-runs the regression. Returns false (nothing kept) when
  // it is not later than the newest point.
  bool add(const Measurement& m);
  // The current regression, or nullopt without points.
  const std::optional<StatsEstimate>& estimate() const { return estimate_; }
  // Newest point, if any.
  const Measurement* newest() const { return points_.empty() ? nullptr : &points_.back(); }
  size_t size() const { return points_.size(); }
  // Raw times and offsets of the kept points, oldest first (reports, logs).
  const std::deque<Measurement>& points() const { return points_; }
  // Forgets everything (after a step of the raw timescale).
  void clear();
  // The raw timescale jumped by `d`: every point moves with it (time + d, offset - d).
  void shiftRaw(Nanos d);
  // The reference timescale jumped by `d` (a leap second): every point's offset changes by d.
  void shiftOffset(Nanos d);

 private:
  void regress();

  StatsOptions options_;
  std::deque<Measurement> points_;
  std::optional<StatsEstimate> estimate_;
};

// Two-sided 95 % Student-t quantile for `dof` degrees of freedom (dof >= 1).
double studentT975(int dof);

}  // namespace strata::refclock
