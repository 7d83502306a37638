#pragma once
// CorrectionModel: the served timescale as a function of the raw one,
//     served(raw) = raw + offset(raw),
// piecewise linear: a base frequency, plus an optional slew (an extra frequency that runs
// until a given raw time and so moves the offset by a chosen amount), plus steps. This is
// what both clock-control modes keep: the software clock serves it directly (as a
// common::TimeCorrection per segment), the kernel clock applies the same segments to the
// kernel and uses the model to recover raw time from kernel readings.
//
// The offset is continuous except at step(). All times are raw; mutators must be called with
// non-decreasing raw times. Pure; not thread-safe (one owner).

#include "common/time_correction.h"
#include "refclock/sample.h"

namespace strata::refclock {

class CorrectionModel {
 public:
  // Offset `initial_offset` at `start`, running at `base_freq` (served - raw per raw second).
  CorrectionModel(SysTime start, double base_freq, Nanos initial_offset = Nanos(0));

  // The line in effect from the last change until nextChange(): served = line.apply(raw).
  const common::TimeCorrection& line() const { return line_; }
  double baseFreq() const { return base_freq_; }
  double slewRate() const { return slewing_ ? line_.freq - base_freq_ : 0.0; }
  bool slewing() const { return slewing_; }
  SysTime slewEnd() const { return slew_end_; }

  // served - raw at `raw` (>= the last change), following slew end into the base line.
  Nanos offsetAt(SysTime raw) const;
  // Offset still to be slewed at `raw` (0 when not slewing).
  Nanos remainingSlew(SysTime raw) const;

  // Ends the slew if `raw` reached its end. Returns true if line() changed.
  bool advance(SysTime raw);
  // At `now`: run at `base_freq` from now on and slew `slew` over `duration` (a duration of
  // zero or less applies no slew). Replaces any slew in progress.
  void set(SysTime now, double base_freq, Nanos slew, Nanos duration);
  // At `now`: the offset jumps by `d`; any slew in progress is dropped.
  void step(SysTime now, Nanos d);
  // makestep: the remaining slew is applied as a step at once. Returns the step.
  Nanos stepRemaining(SysTime now);
  // The raw timescale itself jumped by `d`: re-express the model on the new raw times so
  // that served time is unchanged (served_new(raw + d) == served_old(raw)).
  void shiftRaw(Nanos d);

 private:
  common::TimeCorrection line_;
  double base_freq_ = 0;
  bool slewing_ = false;
  SysTime slew_end_{};
};

}  // namespace strata::refclock
