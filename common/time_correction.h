#pragma once
// The software-corrected timescale served in no-clock-control mode (-x): the daemon never
// touches the kernel clock and instead serves
//     served(raw) = raw + offset + freq * (raw - epoch)
// where raw is CLOCK_REALTIME (or a kernel timestamp on that timescale). With clock control
// the correction is zero: the kernel clock itself is steered.
//
// A value type, trivially copyable so it can be published through SeqLock. Pure.

#include <cstdint>

#include "common/ntp_time.h"

namespace strata::common {

struct TimeCorrection {
  SysTime epoch{};      // raw time at which `offset` is exact
  Nanos offset{0};      // served - raw at `epoch`
  double freq = 0.0;    // d(served - raw)/d(raw), e.g. 50e-6 = served gains 50 µs per second

  // Served time for a raw timestamp. Exact to 1 ns for |raw - epoch| up to days.
  SysTime apply(SysTime raw) const {
    double drift_ns = freq * static_cast<double>((raw - epoch).count());
    return raw + offset + Nanos(static_cast<int64_t>(drift_ns));
  }
  // served - raw at `raw`.
  Nanos offsetAt(SysTime raw) const { return apply(raw) - raw; }
  bool isIdentity() const { return offset.count() == 0 && freq == 0.0; }
};

}  // namespace strata::common
