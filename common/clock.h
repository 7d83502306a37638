#pragma once
// Clock interface: where "now" comes from. Pure code takes timestamps as arguments; the shells
// that need a reading hold a Clock so tests can substitute SimClock.

#include <atomic>

#include "common/ntp_time.h"

namespace strata::common {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current time on the UTC timescale as this clock reads it.
  virtual SysTime now() const = 0;
};

// CLOCK_REALTIME. Thread-safe.
class SystemClock final : public Clock {
 public:
  SysTime now() const override;
};

// CLOCK_REALTIME read directly (no virtual call), for hot paths. Thread-safe.
SysTime realtimeNow();
// CLOCK_MONOTONIC as a duration since an arbitrary start. Thread-safe.
Nanos monotonicNow();

// The precision of CLOCK_REALTIME readings as NTP's log2 seconds: the smallest nonzero
// difference between consecutive readings (resolution or reading cost, whichever is larger),
// rounded up to a power of two. About -24 (60 ns) on current x86 machines. Takes < 1 ms.
int8_t measureClockPrecisionLog2();
// The smallest n with 2^n s >= step (whole nanoseconds), from -29 (1 ns) up to 0. Pure.
int8_t precisionLog2FromNanos(int64_t step_ns);

// A manually driven clock for tests and simulations. The simulation owns "true time"; the
// clock's reading is true time plus an offset that drifts with a frequency error:
//   reading(t) = t + offset + freq_error * (t - anchor)
// now() is thread-safe against concurrent now() calls; mutators must not race with readers
// (tests drive it from one thread).
class SimClock final : public Clock {
 public:
  explicit SimClock(SysTime start) : true_time_(start), anchor_(start) {}
  SysTime now() const override;

  SysTime trueTime() const { return true_time_; }
  void advance(Nanos d) { true_time_ += d; }
  // Offset of the reading from true time (reading - true) at the current true time.
  Nanos offset() const;
  // Change the reading by `d` at once (a clock step).
  void step(Nanos d);
  // Frequency error as a fraction (1e-6 = reading gains 1 µs per second of true time).
  void setFrequencyError(double freq);
  double frequencyError() const { return freq_; }

 private:
  SysTime true_time_;
  SysTime anchor_;  // true time at which offset_at_anchor_ was valid
  Nanos offset_at_anchor_{0};
  double freq_ = 0.0;
};

}  // namespace strata::common
