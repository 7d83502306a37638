#include "server/tx_delay_model.h"

#include <algorithm>
#include <cmath>

namespace strata::server {

void TxDelayModel::addSample(int position, int64_t delay_ns) {
  if (delay_ns < 0 || delay_ns > kMaxDelayNs) {
    ++rejected_;
    return;
  }
  const double x = position;
  const double y = static_cast<double>(delay_ns);
  if (samples_ >= 16) {
    double residual = std::fabs(y - (base_ns_ + per_packet_ns_ * x));
    double limit = std::max<double>(kMinOutlierNs, 8 * mean_abs_residual_ns_);
    if (residual > limit) {
      ++rejected_;
      return;
    }
    mean_abs_residual_ns_ += (residual - mean_abs_residual_ns_) / 64;
  }
  s0_ = s0_ * kDecay + 1;
  sx_ = sx_ * kDecay + x;
  sxx_ = sxx_ * kDecay + x * x;
  sy_ = sy_ * kDecay + y;
  sxy_ = sxy_ * kDecay + x * y;
  ++samples_;
  const double det = s0_ * sxx_ - sx_ * sx_;
  // Fit a slope only when the sampled positions spread (weighted variance of x > 0.01).
  if (det > 0.01 * s0_ * s0_) {
    per_packet_ns_ = std::max(0.0, (s0_ * sxy_ - sx_ * sy_) / det);
  } else {
    per_packet_ns_ = 0;
  }
  base_ns_ = (sy_ - per_packet_ns_ * sx_) / s0_;
}

}  // namespace strata::server
