#pragma once
// Predicts how long after the worker reads the clock to stamp a batch of replies the kernel
// actually transmits the reply at position i of that batch (sendmmsg sends them in order):
//     delay(i) = base + per_packet * i
// fitted by exponentially weighted least squares to sampled kernel TX timestamps. Writing
// stamp = clock + delay(i) into basic-mode replies puts their transmit timestamps at the real
// departure instead of microseconds before it.
//
// Pure; single-threaded (owned by one worker). Samples arrive a few per second at most.

#include <cstdint>

namespace strata::server {

class TxDelayModel {
 public:
  // Samples further than this from the prediction (after warm-up) are ignored as outliers
  // (a preempted thread, a full queue).
  static constexpr int64_t kMinOutlierNs = 20'000;
  static constexpr int64_t kMaxDelayNs = 1'000'000;

  void addSample(int position, int64_t delay_ns);
  // Predicted delay in nanoseconds for `position` (0 before any sample).
  int64_t predict(int position) const {
    if (samples_ == 0) return 0;
    double d = base_ns_ + per_packet_ns_ * position;
    if (d < 0) return 0;
    return d > kMaxDelayNs ? kMaxDelayNs : static_cast<int64_t>(d);
  }
  double baseNs() const { return base_ns_; }
  double perPacketNs() const { return per_packet_ns_; }
  uint64_t samples() const { return samples_; }
  uint64_t rejected() const { return rejected_; }

 private:
  // Weighted sums with forgetting factor kDecay per sample.
  static constexpr double kDecay = 1.0 - 1.0 / 256;
  double s0_ = 0, sx_ = 0, sxx_ = 0, sy_ = 0, sxy_ = 0;
  double base_ns_ = 0, per_packet_ns_ = 0;
  double mean_abs_residual_ns_ = 0;
  uint64_t samples_ = 0, rejected_ = 0;
};

}  // namespace strata::server
