#include "common/clock.h"

#include <time.h>

#include <algorithm>
#include <cstdint>

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

int8_t measureClockPrecisionLog2() {
  int64_t best = INT64_MAX;
  for (int i = 0; i < 1000; ++i) {
    SysTime a = realtimeNow();
    SysTime b = realtimeNow();
    while (b == a) b = realtimeNow();
    best = std::min<int64_t>(best, (b - a).count());
  }
  return precisionLog2FromNanos(best);
}

int8_t precisionLog2FromNanos(int64_t step_ns) {
  int8_t log2 = -30;  // 2^-30 s is 0.93 ns: whole nanoseconds round it to 0
  while (log2 < 0 && (int64_t{1'000'000'000} >> -log2) < step_ns) ++log2;
  return log2;
}

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
