#include "hwts/fake_phc.h"

#include <cerrno>
#include <cmath>
#include <numbers>

namespace strata::hwts {

using common::Nanos;
using common::SysTime;

FakePhc::FakePhc(common::SimClock& system_clock, const FakePhcConfig& config)
    : clock_(system_clock),
      config_(config),
      anchor_(system_clock.trueTime()),
      phc_at_anchor_ns_(common::nanosSinceEpoch(system_clock.trueTime()) + config.offset.count()),
      rng_(config.seed) {}

PhcTime FakePhc::phcAt(SysTime true_time) const {
  const int64_t since = (true_time - anchor_).count();
  const double drift = config_.freq_error * static_cast<double>(since);
  return PhcTime{phc_at_anchor_ns_ + since + std::llround(drift)};
}

SysTime FakePhc::systemAt(SysTime true_time) const {
  const int64_t ahead = (true_time - clock_.trueTime()).count();
  const double drift = clock_.frequencyError() * static_cast<double>(ahead);
  return clock_.now() + Nanos(ahead + std::llround(drift));
}

void FakePhc::step(Nanos d) {
  const SysTime now = clock_.trueTime();
  phc_at_anchor_ns_ = phcAt(now).ns + d.count();
  anchor_ = now;
}

void FakePhc::setFrequencyError(double freq_error) {
  const SysTime now = clock_.trueTime();
  phc_at_anchor_ns_ = phcAt(now).ns;
  anchor_ = now;
  config_.freq_error = freq_error;
}

Nanos FakePhc::delay() {
  const int64_t lo = config_.read_delay_min.count();
  const int64_t hi = std::max(lo, config_.read_delay_max.count());
  if (hi == lo) return Nanos(lo);
  std::uniform_int_distribution<int64_t> d(lo, hi);
  return Nanos(d(rng_));
}

Nanos FakePhc::noise() {
  if (config_.read_jitter.count() == 0) return Nanos(0);
  // Box-Muller on the generator's raw output: reproducible across standard libraries.
  constexpr double kScale = 1.0 / 18446744073709551616.0;  // 2^-64
  const double u1 = (static_cast<double>(rng_()) + 0.5) * kScale;
  const double u2 = (static_cast<double>(rng_()) + 0.5) * kScale;
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  return Nanos(std::llround(z * static_cast<double>(config_.read_jitter.count())));
}

PhcTime FakePhc::noisyPhcAt(SysTime true_time) {
  PhcTime t = phcAt(true_time) + noise() + pending_glitch_;
  pending_glitch_ = Nanos(0);
  return t;
}

int FakePhc::crossTimestamp(PhcCrossTimestamp& out) {
  if (!config_.supports_precise) return EOPNOTSUPP;
  ++reads_;
  const SysTime t = clock_.trueTime();
  out = PhcCrossTimestamp{noisyPhcAt(t), systemAt(t)};
  return 0;
}

void FakePhc::fillTriplets(std::span<PhcTriplet> out, bool chained) {
  ++reads_;
  SysTime t = clock_.trueTime();
  const Nanos glitch = pending_glitch_;  // a glitch hits the whole burst, as a bus error would
  for (PhcTriplet& triplet : out) {
    const SysTime before = t;
    const SysTime at_phc = before + delay();
    const SysTime after = at_phc + delay();
    pending_glitch_ = glitch;
    triplet = PhcTriplet{systemAt(before), noisyPhcAt(at_phc), systemAt(after)};
    t = chained ? after : after + Nanos(50);
  }
  pending_glitch_ = Nanos(0);
}

int FakePhc::extendedReadings(std::span<PhcTriplet> out) {
  if (!config_.supports_extended) return EOPNOTSUPP;
  if (out.empty() || out.size() > kPhcMaxTriplets) return EINVAL;
  fillTriplets(out, /*chained=*/false);
  return 0;
}

int FakePhc::basicReadings(std::span<PhcTriplet> out) {
  if (!config_.supports_basic) return EOPNOTSUPP;
  if (out.empty() || out.size() > kPhcMaxTriplets) return EINVAL;
  fillTriplets(out, /*chained=*/true);
  return 0;
}

}  // namespace strata::hwts
