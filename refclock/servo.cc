#include "refclock/servo.h"

#include <algorithm>
#include <cmath>

namespace strata::refclock {

Servo::Servo(ServoOptions options, double initial_freq, double initial_skew)
    : options_(options),
      freq_(std::clamp(initial_freq, -options.max_drift, options.max_drift)),
      skew_(initial_skew) {}

void Servo::setMakestep(double threshold_s, int limit) {
  options_.makestep_threshold_s = threshold_s;
  options_.makestep_limit = limit;
  makestep_base_ = updates_;
}

ServoDecision Servo::update(const ServoInput& in) {
  ServoDecision d;
  if (in.freq_valid) {
    d.residual_freq = in.freq - freq_;
    if (in.skew <= options_.max_update_skew) {
      freq_ = std::clamp(in.freq, -options_.max_drift, options_.max_drift);
      skew_ = in.skew;
      d.freq_updated = true;
    }
  }
  d.freq = freq_;

  const int since = updates_ - makestep_base_;
  const bool step_allowed = options_.makestep_threshold_s > 0 &&
                            (options_.makestep_limit < 0 || since < options_.makestep_limit);
  if (step_allowed && std::fabs(in.offset_s) > options_.makestep_threshold_s) {
    d.step = true;
    d.step_s = in.offset_s;
    d.state = ServoState::kStepped;
  } else {
    double duration = std::max(options_.corr_time_ratio * in.interval_s, options_.min_slew_time_s);
    if (options_.max_slew_rate > 0) {
      duration = std::max(duration, std::fabs(in.offset_s) / options_.max_slew_rate);
    }
    d.slew_s = in.offset_s;
    d.slew_duration_s = duration;
    d.state = ServoState::kSlewing;
  }
  state_ = d.state;
  ++updates_;
  return d;
}

}  // namespace strata::refclock
