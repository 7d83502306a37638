#include "refclock/precision.h"

#include <time.h>

#include <algorithm>
#include <cmath>

namespace strata::refclock {

int64_t measureClockStepNs(int rounds) {
  int64_t best = INT64_MAX;
  timespec a, b;
  for (int i = 0; i < rounds; ++i) {
    clock_gettime(CLOCK_REALTIME, &a);
    do {
      clock_gettime(CLOCK_REALTIME, &b);
    } while (a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec);
    int64_t d = (int64_t{b.tv_sec} - a.tv_sec) * 1'000'000'000 + (b.tv_nsec - a.tv_nsec);
    if (d > 0) best = std::min(best, d);
  }
  return best == INT64_MAX ? 1 : best;
}

int precisionLog2FromNs(int64_t step_ns) {
  double s = static_cast<double>(std::max<int64_t>(step_ns, 1)) * 1e-9;
  return std::clamp(static_cast<int>(std::ceil(std::log2(s))), -30, 0);
}

}  // namespace strata::refclock
