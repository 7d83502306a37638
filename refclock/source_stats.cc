#include "refclock/source_stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace strata::refclock {

namespace {

// Floor for a point's weight: dispersions below 1 ns do not mean better points.
constexpr double kMinSigmaS = 1e-9;
// Runs test: reject when the number of runs is this many standard deviations below expected.
constexpr double kRunsZ = 2.5;
// The runs test is only meaningful with this many points; it never leaves fewer.
constexpr int kMinRunsTestPoints = 8;
// Residuals within this of zero have no sign for the runs test.
constexpr double kSignificantS = 1e-9;

struct Fit {
  double a = 0, b = 0;  // y = a + b x (x relative to ref time, y relative to ref offset)
  double s2 = 0;        // residual variance of a unit-weight point
  double mean_x = 0, sxx = 0, w_sum = 0;
  int runs = 0;
  int n = 0;
};

Fit fit(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w,
        size_t start) {
  Fit f;
  const size_t n = x.size() - start;
  f.n = static_cast<int>(n);
  double wsum = 0;
  for (size_t i = start; i < x.size(); ++i) wsum += w[i];
  // Normalise weights to a mean of 1 so that s2 is the variance of a typical point.
  const double norm = static_cast<double>(n) / wsum;
  double sx = 0, sy = 0;
  for (size_t i = start; i < x.size(); ++i) {
    sx += w[i] * norm * x[i];
    sy += w[i] * norm * y[i];
  }
  f.w_sum = static_cast<double>(n);
  f.mean_x = sx / f.w_sum;
  double mean_y = sy / f.w_sum;
  double sxx = 0, sxy = 0;
  for (size_t i = start; i < x.size(); ++i) {
    double wi = w[i] * norm;
    sxx += wi * (x[i] - f.mean_x) * (x[i] - f.mean_x);
    sxy += wi * (x[i] - f.mean_x) * (y[i] - mean_y);
  }
  f.sxx = sxx;
  f.b = sxx > 0 ? sxy / sxx : 0.0;
  f.a = mean_y - f.b * f.mean_x;
  double rss = 0;
  int runs = 0;
  int prev_sign = 0;
  for (size_t i = start; i < x.size(); ++i) {
    double r = y[i] - (f.a + f.b * x[i]);
    rss += w[i] * norm * r * r;
    // Sub-nanosecond residuals are rounding of the nanosecond offsets, not signal.
    int sign = r > kSignificantS ? 1 : (r < -kSignificantS ? -1 : 0);
    if (sign != 0 && sign != prev_sign) {
      ++runs;
      prev_sign = sign;
    }
  }
  f.runs = runs;
  f.s2 = n > 2 ? rss / static_cast<double>(n - 2) : 0.0;
  return f;
}

bool runsLookRandom(const Fit& f, const std::vector<double>& x, const std::vector<double>& y,
                    size_t start) {
  if (f.n < kMinRunsTestPoints) return true;
  double pos = 0, neg = 0;
  for (size_t i = start; i < x.size(); ++i) {
    double r = y[i] - (f.a + f.b * x[i]);
    if (r > kSignificantS) pos += 1;
    if (r < -kSignificantS) neg += 1;
  }
  double n = pos + neg;
  if (pos == 0 || neg == 0) return n < kMinRunsTestPoints;
  double expected = 1.0 + 2.0 * pos * neg / n;
  double var = 2.0 * pos * neg * (2.0 * pos * neg - n) / (n * n * (n - 1.0));
  return static_cast<double>(f.runs) >= expected - kRunsZ * std::sqrt(std::max(var, 0.0));
}

}  // namespace

double studentT975(int dof) {
  static constexpr std::array<double, 30> kTable = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof < 1) return kTable[0];
  if (dof <= 30) return kTable[static_cast<size_t>(dof - 1)];
  if (dof <= 60) return 2.000;
  return 1.960;
}

double StatsEstimate::offsetAt(SysTime t) const {
  return offset_s + freq * common::toSeconds(t - ref_time);
}

double StatsEstimate::offsetSdAt(SysTime t) const {
  if (samples <= 0) return 0;
  double x = common::toSeconds(t - ref_time);
  double var0 = 1.0 / weight_sum;
  double s2 = std_dev_s * std_dev_s;
  if (sxx > 0) var0 += (x - mean_x_s) * (x - mean_x_s) / sxx;
  return std::sqrt(s2 * var0);
}

SourceStats::SourceStats(StatsOptions options) : options_(options) {
  options_.min_samples = std::max(2, options_.min_samples);
  options_.max_samples = std::max(options_.min_samples, options_.max_samples);
}

void SourceStats::clear() {
  points_.clear();
  estimate_.reset();
}

void SourceStats::shiftRaw(Nanos d) {
  for (auto& p : points_) {
    p.time += d;
    p.offset -= d;
  }
  if (estimate_) {
    estimate_->ref_time += d;
    estimate_->offset_s -= common::toSeconds(d);
  }
}

void SourceStats::shiftOffset(Nanos d) {
  for (auto& p : points_) {
    p.offset += d;
  }
  if (estimate_) estimate_->offset_s += common::toSeconds(d);
}

bool SourceStats::add(const Measurement& m) {
  if (!points_.empty() && m.time <= points_.back().time) return false;
  points_.push_back(m);
  while (points_.size() > static_cast<size_t>(options_.max_samples)) points_.pop_front();
  regress();
  return true;
}

void SourceStats::regress() {
  std::optional<StatsEstimate> previous = estimate_;
  const Measurement& last = points_.back();
  StatsEstimate e;
  e.ref_time = last.time;
  const size_t n = points_.size();

  std::vector<double> x(n), y(n), w(n);
  double mean_sigma2 = 0;
  for (size_t i = 0; i < n; ++i) {
    x[i] = common::toSeconds(points_[i].time - last.time);
    y[i] = common::toSeconds(points_[i].offset - last.offset);
    double sigma = std::max(common::toSeconds(points_[i].dispersion), kMinSigmaS);
    w[i] = 1.0 / (sigma * sigma);
    mean_sigma2 += sigma * sigma;
  }
  mean_sigma2 /= static_cast<double>(n);

  if (n < static_cast<size_t>(options_.min_samples)) {
    // Too few points for a frequency: the newest offset, its own dispersion as error.
    e.offset_s = common::toSeconds(last.offset);
    e.offset_sd_s = std::sqrt(mean_sigma2);
    e.std_dev_s = std::sqrt(mean_sigma2);
    e.freq_valid = false;
    e.skew = 1.0;
    e.samples = static_cast<int>(n);
    e.runs = static_cast<int>(n);
    e.span_s = -x.front();
    e.weight_sum = static_cast<double>(n);
    estimate_ = e;
    return;
  }

  size_t start = 0;
  Fit f = fit(x, y, w, start);
  while (!runsLookRandom(f, x, y, start) && n - start > static_cast<size_t>(kMinRunsTestPoints)) {
    size_t step = std::max<size_t>(1, (n - start) / 4);
    start = std::min(start + step, n - kMinRunsTestPoints);
    f = fit(x, y, w, start);
  }
  if (start > 0) {
    points_.erase(points_.begin(), points_.begin() + static_cast<std::ptrdiff_t>(start));
  }

  const int dof = f.n - 2;
  // With no degrees of freedom left, trust the points' own dispersions.
  double s2 = dof >= 1 ? f.s2 : mean_sigma2;
  e.samples = f.n;
  e.runs = f.runs;
  e.discarded = static_cast<int>(start);
  e.span_s = -x[start];
  e.freq = f.b;
  e.freq_valid = f.sxx > 0;
  e.std_dev_s = std::sqrt(s2);
  e.mean_x_s = f.mean_x;
  e.sxx = f.sxx;
  e.weight_sum = f.w_sum;
  e.offset_s = common::toSeconds(last.offset) + f.a;
  e.offset_sd_s = e.offsetSdAt(e.ref_time);
  double se_b = f.sxx > 0 ? std::sqrt(s2 / f.sxx) : 1.0;
  e.skew = e.freq_valid ? studentT975(std::max(dof, 1)) * se_b : 1.0;
  if (previous && previous->freq_valid && previous->skew > 0) {
    e.stress = std::fabs(previous->freq - e.freq) / previous->skew;
  }
  estimate_ = e;
}

}  // namespace strata::refclock
