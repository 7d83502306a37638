#include "tools/strataperf/pacing.h"

#include <algorithm>
#include <cmath>

namespace strata::perf {

PacingSchedule::PacingSchedule(double rate_per_s, uint64_t planned, common::Nanos max_lag)
    : rate_per_s_(rate_per_s), planned_(planned), max_lag_(max_lag) {}

common::Nanos PacingSchedule::dueTime(uint64_t index) const {
  return shift_ + common::nanosFromSeconds(static_cast<double>(index) / rate_per_s_);
}

uint64_t PacingSchedule::dueAt(common::Nanos since_start, uint64_t issued) {
  if (issued < planned_) {
    common::Nanos lag = since_start - dueTime(issued);
    if (lag > max_lag_) {
      shift_ += lag - max_lag_;
      ++stalls_;
    }
  }
  double elapsed_s = std::max(0.0, common::toSeconds(since_start - shift_));
  // Request 0 is due at once; request k once k / rate has passed.
  double due = std::floor(elapsed_s * rate_per_s_ + 1e-9) + 1;
  return std::min<uint64_t>(planned_, static_cast<uint64_t>(due));
}

common::Nanos PacingSchedule::defaultMaxLag(double rate_per_s, int batch) {
  return std::max(common::Nanos(2'000'000),
                  common::nanosFromSeconds(4.0 * batch / std::max(rate_per_s, 1.0)));
}

}  // namespace strata::perf
