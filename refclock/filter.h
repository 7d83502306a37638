#pragma once
// Sample filter: turns the measurements a source made during one poll interval into one
// filtered measurement (chrony's refclock median filter; with `by_delay`, the NTP variant that
// prefers the measurements with the shortest round trip).
//
// Each take() looks at the measurements added since the previous take() (at most `length`,
// the newest ones), keeps the `keep_fraction` of them nearest to the median residual (or with
// the smallest delay), and averages what it kept. Residuals (reference - served) are used to
// choose, so a drifting raw clock does not bias the choice; the averaged raw offset and time
// stay consistent with each other for a linear drift.
//
// Pure, no clock reads. Not thread-safe (one owner).

#include <optional>
#include <vector>

#include "refclock/sample.h"

namespace strata::refclock {

struct FilterOptions {
  int length = 64;        // most measurements kept between two take() calls (>= 1)
  int min_samples = 4;    // fewer than min(min_samples, length) since the last take(): no output
  bool by_delay = false;  // choose by smallest delay instead of nearest to the median
  double keep_fraction = 0.6;
};

enum class FilterReject : uint8_t {
  kNone = 0,
  kOutOfOrder,  // not later than the previous measurement
};

class SampleFilter {
 public:
  explicit SampleFilter(FilterOptions options = {});

  // Adds one measurement. Out-of-order ones are rejected and not kept.
  FilterReject add(const Measurement& m);
  // The filtered measurement of everything added since the last take(), or nullopt when too
  // few were added. Either way the window is emptied.
  std::optional<Measurement> take();
  // Number of measurements waiting for the next take().
  size_t size() const { return window_.size(); }
  int length() const { return options_.length; }
  // Forgets the window and the ordering memory (after the raw timescale jumped).
  void reset();
  // The served time was stepped by `d`: residuals of waiting measurements change by -d.
  void shiftResidual(Nanos d);

 private:
  FilterOptions options_;
  std::vector<Measurement> window_;  // oldest first, at most options_.length
  std::optional<SysTime> last_time_;
};

}  // namespace strata::refclock
