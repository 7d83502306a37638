#include "refclock/kernel_clock.h"

#include <spdlog/spdlog.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

namespace strata::refclock {

namespace {
constexpr double kScaledPpm = 65536.0;
constexpr double kPpmPerTickUs(long nominal_tick_us) { return 1e6 / nominal_tick_us; }
}  // namespace

KernelFrequency splitKernelFrequency(double freq_ppm, long nominal_tick_us) {
  const double per_tick = kPpmPerTickUs(nominal_tick_us);
  // The kernel accepts ticks within +-10 % of nominal.
  const long max_delta = nominal_tick_us / 10;
  long delta = 0;
  if (std::fabs(freq_ppm) > kKernelMaxFreqPpm) {
    delta = std::lround(freq_ppm / per_tick);
    if (delta > max_delta) delta = max_delta;
    if (delta < -max_delta) delta = -max_delta;
  }
  double rest = freq_ppm - static_cast<double>(delta) * per_tick;
  if (rest > kKernelMaxFreqPpm) rest = kKernelMaxFreqPpm;
  if (rest < -kKernelMaxFreqPpm) rest = -kKernelMaxFreqPpm;
  KernelFrequency k;
  k.tick_us = nominal_tick_us + delta;
  k.freq = std::lround(rest * kScaledPpm);
  return k;
}

double kernelFrequencyPpm(const timex& tx, long nominal_tick_us) {
  return static_cast<double>(tx.freq) / kScaledPpm +
         static_cast<double>(tx.tick - nominal_tick_us) * kPpmPerTickUs(nominal_tick_us);
}

timex makeReadRequest() {
  timex tx;
  std::memset(&tx, 0, sizeof tx);
  return tx;
}

timex makeFrequencyRequest(double freq_ppm, long nominal_tick_us) {
  timex tx = makeReadRequest();
  KernelFrequency k = splitKernelFrequency(freq_ppm, nominal_tick_us);
  tx.modes = ADJ_FREQUENCY | ADJ_TICK;
  tx.freq = k.freq;
  tx.tick = k.tick_us;
  return tx;
}

timex makeStepRequest(Nanos d) {
  timex tx = makeReadRequest();
  tx.modes = ADJ_SETOFFSET | ADJ_NANO;
  int64_t ns = d.count();
  int64_t sec = ns / common::kNanosPerSecond;
  int64_t rem = ns % common::kNanosPerSecond;
  if (rem < 0) {  // the kernel wants 0 <= tv_usec (nanoseconds with ADJ_NANO) < 1e9
    rem += common::kNanosPerSecond;
    sec -= 1;
  }
  tx.time.tv_sec = static_cast<time_t>(sec);
  tx.time.tv_usec = static_cast<suseconds_t>(rem);
  return tx;
}

timex makeStatusRequest(int current_status, const ClockStatus& status, bool rtcsync) {
  timex tx = makeReadRequest();
  tx.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
  int s = current_status & ~(STA_INS | STA_DEL | STA_UNSYNC);
  if (status.leap == LeapIndicator::kInsertSecond) s |= STA_INS;
  if (status.leap == LeapIndicator::kDeleteSecond) s |= STA_DEL;
  if (!(status.synchronised && rtcsync)) s |= STA_UNSYNC;
  tx.status = s;
  // Microseconds; the kernel caps maxerror at NTP_PHASE_LIMIT-ish values itself.
  auto us = [](double seconds) {
    double v = std::clamp(seconds * 1e6, 0.0, 16e6);
    return static_cast<long>(std::lround(v));
  };
  tx.maxerror = us(status.max_error_s);
  tx.esterror = us(status.est_error_s);
  return tx;
}

int ClockAdjtimeBackend::call(timex& tx) { return ::clock_adjtime(CLOCK_REALTIME, &tx); }

common::Result<std::unique_ptr<KernelClock>> KernelClock::create(AdjtimexBackend& backend,
                                                                 SysTime start_local,
                                                                 KernelClockOptions options) {
  timex tx = makeReadRequest();
  if (backend.call(tx) < 0) {
    return common::makeError(std::string("cannot read the kernel clock state: ") +
                             std::strerror(errno));
  }
  double freq_ppm = kernelFrequencyPpm(tx, options.nominal_tick_us);
  return std::unique_ptr<KernelClock>(
      new KernelClock(backend, start_local, freq_ppm, tx.status, options));
}

KernelClock::KernelClock(AdjtimexBackend& backend, SysTime start, double initial_freq_ppm,
                         int status, KernelClockOptions options)
    : backend_(backend),
      model_(start, 0.0),
      initial_freq_ppm_(initial_freq_ppm),
      status_(status),
      options_(options) {}

bool KernelClock::call(timex& tx, const char* what) {
  if (backend_.call(tx) >= 0) return true;
  ++failed_calls_;
  if (!logged_failure_) {
    spdlog::error("kernel clock: {} failed: {} (further failures are only counted)", what,
                  std::strerror(errno));
    logged_failure_ = true;
  }
  return false;
}

SysTime KernelClock::rawFromLocal(SysTime local) const {
  // local = raw + offset(raw); the offset changes slowly, so two rounds are exact to << 1 ns.
  SysTime raw = local - model_.offsetAt(local);
  return local - model_.offsetAt(raw);
}

void KernelClock::applyFrequency() {
  timex tx =
      makeFrequencyRequest(initial_freq_ppm_ + model_.line().freq * 1e6, options_.nominal_tick_us);
  call(tx, "setting the frequency");
}

bool KernelClock::advance(SysTime raw_now) {
  if (!model_.advance(raw_now)) return false;
  applyFrequency();
  return true;
}

void KernelClock::adjust(SysTime raw_now, double base_freq, Nanos slew, Nanos duration) {
  model_.set(raw_now, base_freq, slew, duration);
  applyFrequency();
}

void KernelClock::step(SysTime raw_now, Nanos d) {
  model_.step(raw_now, d);
  timex tx = makeStepRequest(d);
  call(tx, "stepping the clock");
  applyFrequency();
}

Nanos KernelClock::noteExternalStep(SysTime raw_now, Nanos d) {
  model_.step(raw_now, d);
  applyFrequency();
  return Nanos(0);
}

void KernelClock::setStatus(const ClockStatus& status) {
  timex tx = makeStatusRequest(status_, status, options_.rtcsync);
  if (call(tx, "setting the clock status")) status_ = tx.status;
}

}  // namespace strata::refclock
