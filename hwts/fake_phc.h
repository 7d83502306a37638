#pragma once
// FakePhc: a simulated PTP hardware clock for tests and simulations, implementing PhcDevice.
//
// Time model. A common::SimClock owns "true time" and the system clock (whose own offset,
// frequency error and steps the test drives through SimClock). The fake PHC reads
//     phc(t) = phc_offset + t + phc_freq_error * (t - anchor)        (t = true time)
// where the offset and frequency error are configurable and can be changed (step(),
// setFrequencyError()) while running. phcAt(t) is exact: use it for the hardware timestamp
// of a packet that arrived at true time t.
//
// Readings. crossTimestamp() gives (phc(t) + noise, sys(t)). The triplet methods simulate a
// driver reading the PHC between two system-clock reads: each half of a triplet takes a
// delay drawn uniformly from [read_delay_min, read_delay_max], and the PHC value gets
// Gaussian noise with standard deviation read_jitter. Readings start at the SimClock's
// current true time and do not advance it. inject() adds a one-off error to the next reading
// (a glitch). Which methods the device "supports" is configurable (others return
// EOPNOTSUPP), to exercise the reader's probing. Randomness comes from a seeded generator:
// runs are reproducible.
//
// The reference-clock engineer reuses this for `refclock PHC` tests; keep it generic.
// Not thread-safe (like SimClock, drive it from one thread).

#include <cstdint>
#include <random>

#include "common/clock.h"
#include "hwts/phc_device.h"

namespace strata::hwts {

struct FakePhcConfig {
  common::Nanos offset{0};          // phc - true time at the start (e.g. 37 s for TAI)
  double freq_error = 0.0;          // PHC rate error; 1e-6 = gains 1 µs per second
  common::Nanos read_jitter{0};     // standard deviation of the noise on each PHC reading
  common::Nanos read_delay_min{0};  // each half of a triplet takes [min, max]
  common::Nanos read_delay_max{0};
  bool supports_precise = false;  // PTP_SYS_OFFSET_PRECISE
  bool supports_extended = true;  // PTP_SYS_OFFSET_EXTENDED
  bool supports_basic = true;     // PTP_SYS_OFFSET
  uint64_t seed = 1;
};

class FakePhc final : public PhcDevice {
 public:
  FakePhc(common::SimClock& system_clock, const FakePhcConfig& config);

  // Exact PHC reading at true time `t` (no noise).
  PhcTime phcAt(common::SysTime true_time) const;
  // Exact system-clock reading at true time `t`, for t near the SimClock's current true
  // time (uses its current frequency error).
  common::SysTime systemAt(common::SysTime true_time) const;

  // PHC jumps by `d` now (like `phc_ctl set` or ptp4l stepping the clock).
  void step(common::Nanos d);
  void setFrequencyError(double freq_error);
  // Adds `error` to the PHC value of the next reading only.
  void inject(common::Nanos error) { pending_glitch_ = error; }

  uint64_t readCount() const { return reads_; }
  const FakePhcConfig& config() const { return config_; }

  std::string name() const override { return "fake PHC"; }
  int crossTimestamp(PhcCrossTimestamp& out) override;
  int extendedReadings(std::span<PhcTriplet> out) override;
  int basicReadings(std::span<PhcTriplet> out) override;

 private:
  common::Nanos delay();
  common::Nanos noise();
  PhcTime noisyPhcAt(common::SysTime true_time);
  // Shared by the two triplet methods; `chained` makes consecutive triplets share the
  // system read between them (as PTP_SYS_OFFSET's alternating layout does).
  void fillTriplets(std::span<PhcTriplet> out, bool chained);

  common::SimClock& clock_;
  FakePhcConfig config_;
  common::SysTime anchor_;    // true time at which phc_at_anchor_ was exact
  int64_t phc_at_anchor_ns_;  // PHC reading at anchor_
  std::mt19937_64 rng_;
  common::Nanos pending_glitch_{0};
  uint64_t reads_ = 0;
};

}  // namespace strata::hwts
