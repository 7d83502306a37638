#pragma once
// The servo: given the combined estimate of how far the served time is off and how fast the
// raw clock runs, decides the new frequency, whether to step, and how to slew the rest. The
// servo decides, the caller (TimeKeeper -> ClockControl) acts.
//
// Frequency: the statistics estimate the raw clock's frequency directly (regression over raw
// time), so the servo adopts that estimate when its error bound (skew) is within
// maxupdateskew; otherwise it keeps the previous one (from earlier updates or the driftfile).
// Offset: corrected by slewing over corrtimeratio x the update interval, at most maxslewrate,
// or by a step when makestep allows it (|offset| > threshold during the first `limit`
// updates; a negative limit allows it at any update).
//
// Units: seconds (double) for offsets, dimensionless frequencies (served - raw per raw
// second, 1e-6 = 1 ppm). Pure; not thread-safe (one owner).

#include <cstdint>

namespace strata::refclock {

struct ServoOptions {
  double makestep_threshold_s = 0;  // <= 0: never step automatically
  int makestep_limit = 0;           // steps allowed during the first N updates; < 0: always
  double max_update_skew = 1000e-6;
  double max_slew_rate = 83333.333e-6;
  double corr_time_ratio = 3.0;
  double max_drift = 500000e-6;  // |frequency| limit
  double min_slew_time_s = 0.5;  // shortest slew (small intervals, sub-second polls)
};

struct ServoInput {
  double offset_s = 0;      // reference - served now (what the served time must gain)
  double offset_sd_s = 0;   // its standard error
  double freq = 0;          // estimated raw-clock correction frequency
  double skew = 1.0;        // its error bound
  bool freq_valid = false;  // false: no frequency estimate yet
  double interval_s = 0;    // since the previous update (0: first update)
};

enum class ServoState : uint8_t {
  kUnset,    // no update yet
  kStepped,  // the last update stepped
  kSlewing,  // the last update slewed (normal operation)
};

struct ServoDecision {
  double freq = 0;            // base correction frequency from now on
  bool freq_updated = false;  // freq came from this update's estimate
  double residual_freq = 0;   // estimate - previous frequency (0 without an estimate)
  bool step = false;
  double step_s = 0;           // step the served time by this (reference - served)
  double slew_s = 0;           // then slew this much ...
  double slew_duration_s = 0;  // ... over this long
  ServoState state = ServoState::kUnset;
};

class Servo {
 public:
  // `initial_freq` and its error bound `initial_skew` (e.g. from the driftfile).
  Servo(ServoOptions options, double initial_freq, double initial_skew);

  ServoDecision update(const ServoInput& in);

  double freq() const { return freq_; }
  double skew() const { return skew_; }
  int updates() const { return updates_; }
  ServoState state() const { return state_; }
  const ServoOptions& options() const { return options_; }
  // Changes makestep (chronyc "makestep THRESHOLD LIMIT": LIMIT counts from now).
  void setMakestep(double threshold_s, int limit);

 private:
  ServoOptions options_;
  double freq_;
  double skew_;
  int updates_ = 0;
  int makestep_base_ = 0;  // updates_ when the makestep limit started counting
  ServoState state_ = ServoState::kUnset;
};

}  // namespace strata::refclock
