#pragma once
// KernelClock: clock control that steers the kernel clock (CLOCK_REALTIME) the way chronyd
// does: frequency (and slews, as temporary frequency changes) with ADJ_FREQUENCY/ADJ_TICK,
// steps with ADJ_SETOFFSET, leap and synchronisation status with ADJ_STATUS (STA_INS /
// STA_DEL for a pending leap second; STA_UNSYNC cleared only when synchronised and rtcsync
// is on, which lets the kernel copy the time to the RTC every 11 minutes), and the error
// bounds with ADJ_MAXERROR/ADJ_ESTERROR. The kernel PLL (ADJ_OFFSET) is not used: the offset
// it would slew could not be booked exactly, and raw time must stay known.
//
// The requests are built by pure functions (tested without any syscall); the only syscall is
// in ClockAdjtimeBackend, a one-line shell around clock_adjtime(CLOCK_REALTIME). NEVER use
// that backend in tests: it changes the machine's clock.
//
// Not thread-safe: TimeKeeper thread only.

#include <sys/timex.h>

#include <cstdint>
#include <memory>

#include "common/result.h"
#include "refclock/clock_control.h"

namespace strata::refclock {

// Kernel frequency limits: ADJ_FREQUENCY takes +-500 ppm; the rest goes to the tick length
// (microseconds per USER_HZ tick, each microsecond of a 10000 us tick being 100 ppm).
inline constexpr double kKernelMaxFreqPpm = 500.0;

struct KernelFrequency {
  long tick_us = 0;  // timex.tick
  long freq = 0;     // timex.freq: ppm with a 16-bit binary fraction
};
// Splits a total frequency (ppm, positive = the clock runs faster) into tick and freq.
// `nominal_tick_us` is 1e6 / USER_HZ.
KernelFrequency splitKernelFrequency(double freq_ppm, long nominal_tick_us);
// The total frequency (ppm) a timex reading describes.
double kernelFrequencyPpm(const timex& tx, long nominal_tick_us);

timex makeReadRequest();
timex makeFrequencyRequest(double freq_ppm, long nominal_tick_us);
// ADJ_SETOFFSET | ADJ_NANO: add `d` to the clock.
timex makeStepRequest(Nanos d);
// ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR. Keeps status bits other than leap/unsync as in
// `current_status`.
timex makeStatusRequest(int current_status, const ClockStatus& status, bool rtcsync);

// The syscall, behind an interface so the logic can be tested with a fake.
class AdjtimexBackend {
 public:
  virtual ~AdjtimexBackend() = default;
  // Returns the clock state (TIME_OK...) or -1 with errno set.
  virtual int call(timex& tx) = 0;
};

// clock_adjtime(CLOCK_REALTIME, &tx). Modifying calls need CAP_SYS_TIME.
class ClockAdjtimeBackend final : public AdjtimexBackend {
 public:
  int call(timex& tx) override;
};

struct KernelClockOptions {
  bool rtcsync = false;
  long nominal_tick_us = 10000;  // 1e6 / sysconf(_SC_CLK_TCK)
};

class KernelClock final : public ClockControl {
 public:
  // Reads the kernel's current frequency (a read-only call) and takes it as the raw clock's.
  // `start_local` is the current CLOCK_REALTIME reading.
  static common::Result<std::unique_ptr<KernelClock>> create(AdjtimexBackend& backend,
                                                             SysTime start_local,
                                                             KernelClockOptions options);

  SysTime rawFromLocal(SysTime local) const override;
  SysTime localFromRaw(SysTime raw) const override { return raw + model_.offsetAt(raw); }
  const CorrectionModel& model() const override { return model_; }
  common::TimeCorrection servedCorrection() const override { return {}; }
  bool controlsKernel() const override { return true; }
  double startFrequencyPpm() const override { return initial_freq_ppm_; }

  bool advance(SysTime raw_now) override;
  void adjust(SysTime raw_now, double base_freq, Nanos slew, Nanos duration) override;
  void step(SysTime raw_now, Nanos d) override;
  Nanos noteExternalStep(SysTime raw_now, Nanos d) override;
  void setStatus(const ClockStatus& status) override;

  double initialFrequencyPpm() const { return initial_freq_ppm_; }
  uint64_t failedCalls() const { return failed_calls_; }

 private:
  KernelClock(AdjtimexBackend& backend, SysTime start, double initial_freq_ppm, int status,
              KernelClockOptions options);
  void applyFrequency();
  bool call(timex& tx, const char* what);

  AdjtimexBackend& backend_;
  CorrectionModel model_;
  double initial_freq_ppm_;
  int status_;
  KernelClockOptions options_;
  uint64_t failed_calls_ = 0;
  bool logged_failure_ = false;
};

}  // namespace strata::refclock
