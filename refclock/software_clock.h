#pragma once
// SoftwareClock: clock control for no-clock-control mode (-x). The kernel clock is never
// touched; the served timescale is raw (CLOCK_REALTIME) plus the CorrectionModel, published
// to workers through servedCorrection(). A makestep is a step of that correction.
// Not thread-safe: TimeKeeper thread only.

#include "refclock/clock_control.h"

namespace strata::refclock {

class SoftwareClock final : public ClockControl {
 public:
  // Starts at `start` (raw) with frequency `initial_freq` (served - raw per second, e.g. the
  // driftfile's value negated and scaled) and no offset.
  SoftwareClock(SysTime start, double initial_freq) : model_(start, initial_freq) {}

  SysTime rawFromLocal(SysTime local) const override { return local; }
  SysTime localFromRaw(SysTime raw) const override { return raw; }
  const CorrectionModel& model() const override { return model_; }
  common::TimeCorrection servedCorrection() const override { return model_.line(); }
  bool controlsKernel() const override { return false; }

  bool advance(SysTime raw_now) override { return model_.advance(raw_now); }
  void adjust(SysTime raw_now, double base_freq, Nanos slew, Nanos duration) override {
    model_.set(raw_now, base_freq, slew, duration);
  }
  void step(SysTime raw_now, Nanos d) override { model_.step(raw_now, d); }
  // Raw is CLOCK_REALTIME itself: if someone else steps it, raw really jumped; the served
  // time must not, so the model moves with it.
  Nanos noteExternalStep(SysTime, Nanos d) override {
    model_.shiftRaw(d);
    return d;
  }
  void setStatus(const ClockStatus&) override {}

 private:
  CorrectionModel model_;
};

}  // namespace strata::refclock
