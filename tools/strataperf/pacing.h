#pragma once
// Open-loop pacing of one step's requests. Pure (times are passed in); thread-compatible.
//
// Request k (0-based) is due at shift + k / rate after the step's start. When the sender
// comes back late (preempted, the machine paused) by more than `max_lag`, the schedule
// moves on by the excess (shift grows, a stall is counted) instead of letting the sender
// catch up in one burst: a burst of the backlog would overflow the server's socket and
// measure the load generator's hiccup instead of the server.

#include <cstdint>

#include "common/ntp_time.h"

namespace strata::perf {

class PacingSchedule {
 public:
  // `rate_per_s` > 0; `planned` requests in the step.
  PacingSchedule(double rate_per_s, uint64_t planned, common::Nanos max_lag);

  // How many requests should have been issued by `since_start` (time since the step's
  // start), given `issued` so far; at most `planned`. Applies the lag rule first.
  uint64_t dueAt(common::Nanos since_start, uint64_t issued);
  // When request `index` is due (time since the step's start).
  common::Nanos dueTime(uint64_t index) const;

  common::Nanos shift() const { return shift_; }
  uint64_t stalls() const { return stalls_; }

  // The lag allowance strataperf uses: 2 ms, or four batches' worth at low rates.
  static common::Nanos defaultMaxLag(double rate_per_s, int batch);

 private:
  double rate_per_s_;
  uint64_t planned_;
  common::Nanos max_lag_;
  common::Nanos shift_{0};
  uint64_t stalls_ = 0;
};

}  // namespace strata::perf
