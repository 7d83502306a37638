#include "common/clock.h"

#include <time.h>

namespace strata::common {

SysTime realtimeNow() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return sysTimeFromTimespec(ts);
}

Nanos monotonicNow() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return Nanos(static_cast<int64_t>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec);
}

SysTime SystemClock::now() const { return realtimeNow(); }

Nanos SimClock::offset() const {
  double drift_ns = freq_ * static_cast<double>((true_time_ - anchor_).count());
  return offset_at_anchor_ + Nanos(static_cast<int64_t>(drift_ns));
}

SysTime SimClock::now() const { return true_time_ + offset(); }

void SimClock::step(Nanos d) {
  offset_at_anchor_ = offset() + d;
  anchor_ = true_time_;
}

void SimClock::setFrequencyError(double freq) {
  offset_at_anchor_ = offset();
  anchor_ = true_time_;
  freq_ = freq;
}

}  // namespace strata::common
