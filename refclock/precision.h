#pragma once
// The system clock's precision as NTP reports it (log2 seconds): the smallest difference
// between consecutive readings of CLOCK_REALTIME, measured at start like chronyd does.
// A shell (reads the clock); thread-safe.

#include <cstdint>

namespace strata::refclock {

// Smallest nonzero step between consecutive clock_gettime(CLOCK_REALTIME) calls over
// `rounds` readings, in nanoseconds (at least 1).
int64_t measureClockStepNs(int rounds = 1000);
// ceil(log2(step seconds)), clamped to [-30, 0]: e.g. 30 ns -> -25.
int precisionLog2FromNs(int64_t step_ns);

}  // namespace strata::refclock
