#pragma once
// ClockControl: how the TimeKeeper's decisions reach a clock. Two implementations:
//  - SoftwareClock (no clock control, -x): never touches the kernel; the served timescale is
//    the CorrectionModel over CLOCK_REALTIME and is published to the workers as a
//    common::TimeCorrection.
//  - KernelClock: applies the same model to the kernel clock with clock_adjtime (frequency,
//    steps, leap and sync status bits); workers serve CLOCK_REALTIME unchanged.
// Both keep the CorrectionModel so that the pipeline can work on the raw (never corrected)
// timescale: raw = local - what this object applied.
//
// All methods run on the TimeKeeper thread (not thread-safe). Raw times passed in must not
// decrease.

#include "common/time_correction.h"
#include "refclock/correction_model.h"
#include "refclock/sample.h"

namespace strata::refclock {

// What the kernel (or anything observing the clock) should be told besides time itself.
struct ClockStatus {
  LeapIndicator leap = LeapIndicator::kUnsynchronized;  // kInsert/kDelete: leap at midnight
  bool synchronised = false;
  double max_error_s = 16.0;  // bound on the served time's error
  double est_error_s = 16.0;  // estimated error (1 sigma)
};

class ClockControl {
 public:
  virtual ~ClockControl() = default;

  // Raw time of a system-clock (CLOCK_REALTIME) reading, and the reverse.
  virtual SysTime rawFromLocal(SysTime local) const = 0;
  virtual SysTime localFromRaw(SysTime raw) const = 0;
  // The served timescale over raw time.
  virtual const CorrectionModel& model() const = 0;
  // The correction serving workers must apply to CLOCK_REALTIME timestamps (identity when
  // the kernel clock itself is steered).
  virtual common::TimeCorrection servedCorrection() const = 0;
  virtual bool controlsKernel() const = 0;
  // Frequency correction (ppm) that was already in effect at start and is part of "raw"
  // (the kernel's frequency setting under kernel control; 0 otherwise). Reports add it.
  virtual double startFrequencyPpm() const { return 0.0; }

  // Ends a finished slew. Returns true if the served correction changed.
  virtual bool advance(SysTime raw_now) = 0;
  // New base frequency; slew `slew` over `duration`.
  virtual void adjust(SysTime raw_now, double base_freq, Nanos slew, Nanos duration) = 0;
  // The served time jumps by `d`.
  virtual void step(SysTime raw_now, Nanos d) = 0;
  // The local clock was stepped by `d` at `raw_now` by someone else (the kernel inserting a
  // leap second, an operator running `date`). The served time must stay continuous where
  // possible. Returns how far the raw timescale jumped (the pipeline shifts its history by
  // that much): the software clock's raw is CLOCK_REALTIME itself and jumps by `d`; the
  // kernel clock books the step into its model so raw stays continuous (returns 0).
  virtual Nanos noteExternalStep(SysTime raw_now, Nanos d) = 0;
  virtual void setStatus(const ClockStatus& status) = 0;
};

}  // namespace strata::refclock
