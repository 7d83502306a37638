#include "refclock/correction_model.h"

#include <cmath>

namespace strata::refclock {

CorrectionModel::CorrectionModel(SysTime start, double base_freq, Nanos initial_offset)
    : base_freq_(base_freq) {
  line_.epoch = start;
  line_.offset = initial_offset;
  line_.freq = base_freq;
}

Nanos CorrectionModel::offsetAt(SysTime raw) const {
  if (!slewing_ || raw <= slew_end_) return line_.offsetAt(raw);
  Nanos at_end = line_.offsetAt(slew_end_);
  double drift = base_freq_ * static_cast<double>((raw - slew_end_).count());
  return at_end + Nanos(std::llround(drift));
}

Nanos CorrectionModel::remainingSlew(SysTime raw) const {
  if (!slewing_ || raw >= slew_end_) return Nanos(0);
  double rate = line_.freq - base_freq_;
  return Nanos(std::llround(rate * static_cast<double>((slew_end_ - raw).count())));
}

bool CorrectionModel::advance(SysTime raw) {
  if (!slewing_ || raw < slew_end_) return false;
  Nanos at_end = line_.offsetAt(slew_end_);
  line_.epoch = slew_end_;
  line_.offset = at_end;
  line_.freq = base_freq_;
  slewing_ = false;
  return true;
}

void CorrectionModel::set(SysTime now, double base_freq, Nanos slew, Nanos duration) {
  advance(now);
  Nanos current = offsetAt(now);
  line_.epoch = now;
  line_.offset = current;
  base_freq_ = base_freq;
  if (duration > Nanos(0) && slew != Nanos(0)) {
    slewing_ = true;
    slew_end_ = now + duration;
    line_.freq =
        base_freq + static_cast<double>(slew.count()) / static_cast<double>(duration.count());
  } else {
    slewing_ = false;
    line_.freq = base_freq;
  }
}

void CorrectionModel::step(SysTime now, Nanos d) {
  advance(now);
  Nanos current = offsetAt(now);
  line_.epoch = now;
  line_.offset = current + d;
  line_.freq = base_freq_;
  slewing_ = false;
}

Nanos CorrectionModel::stepRemaining(SysTime now) {
  Nanos remaining = remainingSlew(now);
  step(now, remaining);
  return remaining;
}

void CorrectionModel::shiftRaw(Nanos d) {
  line_.epoch += d;
  line_.offset -= d;
  slew_end_ += d;
}

}  // namespace strata::refclock
