#pragma once
// Combining: the offset and frequency the clock is steered to, from the selected source and
// the sources combined with it. Offsets are weighted by 1/root distance (a closer source
// counts more), frequencies by 1/skew^2 (a better-known frequency counts more).
//
// Pure; thread-compatible.

#include <span>

namespace strata::refclock {

struct CombineInput {
  double offset_s = 0;         // reference - served, now
  double offset_sd_s = 0;      // standard error of offset_s
  double root_distance_s = 0;  // > 0
  double freq = 0;             // statistics slope (reference - raw per raw second)
  double skew = 0;             // error bound of freq (> 0)
  bool freq_valid = false;     // false: the source has no frequency estimate yet
};

struct Combined {
  double offset_s = 0;
  double offset_sd_s = 0;
  double freq = 0;
  double skew = 1.0;
  bool freq_valid = false;
  int count = 0;
};

// inputs[0] is the selected source; the result is empty (count 0) for no inputs.
Combined combineSources(std::span<const CombineInput> inputs);

}  // namespace strata::refclock
