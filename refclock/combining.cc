#include "refclock/combining.h"

#include <algorithm>
#include <cmath>

namespace strata::refclock {

namespace {
constexpr double kMinDistanceS = 1e-9;
constexpr double kMinSkew = 1e-12;
}  // namespace

Combined combineSources(std::span<const CombineInput> inputs) {
  Combined out;
  if (inputs.empty()) return out;
  double w_sum = 0, offset_sum = 0, var_sum = 0;
  double fw_sum = 0, freq_sum = 0;
  for (const auto& in : inputs) {
    double w = 1.0 / std::max(in.root_distance_s, kMinDistanceS);
    w_sum += w;
    offset_sum += w * in.offset_s;
    var_sum += w * w * in.offset_sd_s * in.offset_sd_s;
    if (in.freq_valid) {
      double s = std::max(in.skew, kMinSkew);
      double fw = 1.0 / (s * s);
      fw_sum += fw;
      freq_sum += fw * in.freq;
    }
  }
  out.count = static_cast<int>(inputs.size());
  out.offset_s = offset_sum / w_sum;
  out.offset_sd_s = std::sqrt(var_sum) / w_sum;
  if (fw_sum > 0) {
    out.freq_valid = true;
    out.freq = freq_sum / fw_sum;
    out.skew = 1.0 / std::sqrt(fw_sum);
  } else {
    out.freq = inputs.front().freq;
    out.skew = 1.0;
  }
  return out;
}

}  // namespace strata::refclock
