#pragma once
// Helpers shared by the refclock unit tests.

#include "common/ntp_time.h"
#include "refclock/sample.h"

namespace strata::refclock::testing {

inline constexpr int64_t kSec = common::kNanosPerSecond;
// 2026-03-01T00:00:00Z
inline const SysTime kT0 = common::sysTimeFromNanos(1'772'323'200LL * kSec);

inline SysTime at(double seconds) { return kT0 + common::nanosFromSeconds(seconds); }
inline Nanos ns(int64_t n) { return Nanos(n); }

inline Measurement point(double t_s, double offset_s, double dispersion_s = 1e-6) {
  Measurement m;
  m.time = at(t_s);
  m.offset = common::nanosFromSeconds(offset_s);
  m.residual = m.offset;
  m.dispersion = common::nanosFromSeconds(dispersion_s);
  return m;
}

}  // namespace strata::refclock::testing
