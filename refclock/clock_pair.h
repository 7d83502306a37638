#pragma once
// CLOCK_REALTIME - CLOCK_MONOTONIC, read so that a preemption between the two readings does
// not look like a step of the system clock: each attempt brackets one realtime reading
// between two monotonic ones; the attempt with the narrowest bracket wins, and reading stops
// early once a bracket is at most `good_bracket_ns`. Readers return nanoseconds.
//
// Thread-safety: pure (the readers are called on the calling thread).

#include <cstdint>

namespace strata::refclock {

struct ClockPairReading {
  int64_t realtime_minus_monotonic_ns = 0;
  int64_t bracket_ns = 0;  // width of the monotonic bracket of the winning attempt
};

template <class MonotonicReader, class RealtimeReader>
ClockPairReading readClockPair(MonotonicReader monotonic, RealtimeReader realtime,
                               int attempts = 5, int64_t good_bracket_ns = 20'000) {
  ClockPairReading best;
  bool have = false;
  for (int i = 0; i < attempts; ++i) {
    const int64_t m1 = monotonic();
    const int64_t r = realtime();
    const int64_t m2 = monotonic();
    const int64_t bracket = m2 - m1;
    if (!have || bracket < best.bracket_ns) {
      best = {r - (m1 + bracket / 2), bracket};
      have = true;
    }
    if (bracket <= good_bracket_ns) break;
  }
  return best;
}

}  // namespace strata::refclock
