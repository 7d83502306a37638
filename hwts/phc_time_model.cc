#include "hwts/phc_time_model.h"

#include <algorithm>
#include <cmath>

namespace strata::hwts {

using common::Nanos;

namespace {

// Readings beyond ±2^62 ns are garbage; within it every difference of two values fits int64.
constexpr int64_t kLimit = int64_t{1} << 62;
// A fitted |d(system - PHC)/d(PHC)| above this is not a clock (slews are < 0.1).
constexpr double kMaxFreq = 0.5;
constexpr double kMadToSigma = 1.4826;

bool inRange(int64_t v) { return v > -kLimit && v < kLimit; }

// Nearest int64 of a double known to be finite; clamped to ±2^62.
int64_t roundClamped(double v) {
  constexpr double kMax = static_cast<double>(kLimit);
  if (!(v > -kMax)) return -kLimit;
  if (!(v < kMax)) return kLimit;
  return std::llround(v);
}

double median(std::vector<double> v) {
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid), v.end());
  if (v.size() % 2 == 1) return v[mid];
  const double upper = v[mid];
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

}  // namespace

PhcModelOptions phcModelOptions(const HwTimestampOptions& options) {
  PhcModelOptions m;
  m.min_samples = std::max(1, options.min_samples);
  m.max_samples = std::max({2, m.min_samples, options.max_samples});
  m.precision = std::max(Nanos(1), options.precision);
  const double seconds = 4.0 * std::ldexp(1.0, std::clamp(options.maxpoll_log2, -7, 24));
  m.max_extrapolation = common::nanosFromSeconds(std::max(1.0, seconds));
  return m;
}

PhcTimeModel::PhcTimeModel(const PhcModelOptions& options) : options_(options) {
  options_.min_samples = std::max(1, options_.min_samples);
  options_.max_samples = std::max({2, options_.min_samples, options_.max_samples});
  options_.precision = std::max(Nanos(1), options_.precision);
  options_.jump_confirm_samples = std::max(2, options_.jump_confirm_samples);
  options_.max_extrapolation =
      std::clamp(options_.max_extrapolation, Nanos(1), Nanos(int64_t{1} << 50));
  publish();
}

Nanos PhcTimeModel::fitSigma() const { return Nanos(roundClamped(fit_.sigma_ns)); }

PhcTimeModel::Fit PhcTimeModel::fitLine(const std::vector<Point>& points, bool use_prior) const {
  Fit fit;
  const size_t n = points.size();
  if (n == 0) return fit;
  const Point& ref = points.back();
  fit.ref_phc_ns = ref.phc_ns;
  fit.ref_offset_ns = ref.offset_ns;

  const double precision = static_cast<double>(options_.precision.count());
  std::vector<double> x(n), y(n), w(n), half_delay(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(points[i].phc_ns - ref.phc_ns);
    y[i] = static_cast<double>(points[i].offset_ns - ref.offset_ns);
    half_delay[i] = static_cast<double>(points[i].delay_ns) / 2;
    const double u = half_delay[i] + precision;
    w[i] = 1.0 / (u * u);
  }
  std::vector<bool> use(n, true);

  double a = 0, b = 0, spread_w = 0;
  bool slope_known = false;
  const double lambda = use_prior ? prior_weight_ : 0.0;
  auto solve = [&] {
    double sw = 0, sx = 0, sy = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!use[i]) continue;
      sw += w[i];
      sx += w[i] * x[i];
      sy += w[i] * y[i];
    }
    const double xm = sx / sw, ym = sy / sw;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!use[i]) continue;
      sxx += w[i] * (x[i] - xm) * (x[i] - xm);
      sxy += w[i] * (x[i] - xm) * (y[i] - ym);
    }
    // Least squares with a Gaussian prior on the slope: minimises
    // sum w (y - a - b x)^2 + lambda (b - prior)^2.
    const double slope = (sxy + lambda * prior_freq_) / (sxx + lambda);
    slope_known = sxx + lambda > 0 && std::isfinite(slope) && std::fabs(slope) <= kMaxFreq;
    b = slope_known ? slope : 0.0;
    a = ym - b * xm;
    spread_w = sxx;
  };
  solve();

  std::vector<double> r(n);
  auto residuals = [&] {
    for (size_t i = 0; i < n; ++i) r[i] = y[i] - (a + b * x[i]);
  };
  residuals();

  if (n >= 4 && slope_known) {
    std::vector<double> abs_r(n);
    for (size_t i = 0; i < n; ++i) abs_r[i] = std::fabs(r[i]);
    const double robust_sigma = kMadToSigma * median(abs_r);
    size_t kept = 0;
    std::vector<bool> keep(n);
    for (size_t i = 0; i < n; ++i) {
      const double limit = std::max(3 * robust_sigma, 3 * precision + half_delay[i]);
      keep[i] = abs_r[i] <= limit;
      kept += keep[i] ? 1 : 0;
    }
    if (kept < n && kept >= std::max<size_t>(2, (n + 1) / 2)) {
      use = keep;
      solve();
      residuals();
    }
  }

  size_t used = 0, sum_x_count = 0;
  double sum_r2 = 0, mean_x = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!use[i]) continue;
    ++used;
    sum_r2 += r[i] * r[i];
    mean_x += x[i];
    ++sum_x_count;
  }
  mean_x /= static_cast<double>(sum_x_count);
  double spread = 0;
  for (size_t i = 0; i < n; ++i) {
    if (use[i]) spread += (x[i] - mean_x) * (x[i] - mean_x);
  }
  fit.sigma_ns = used > 2 ? std::sqrt(sum_r2 / static_cast<double>(used - 2)) : 0.0;
  fit.intercept_ns = a;
  fit.freq = b;
  fit.weighted_spread = spread_w;
  fit.valid = slope_known || n == 1;
  fit.slope_error =
      slope_known && spread > 0 ? std::max(fit.sigma_ns, precision) / std::sqrt(spread) : 0.0;
  if (slope_known && lambda > 0) {
    // The prior stands for the old window: the slope is known about as well as it was.
    fit.slope_error =
        std::min(fit.slope_error, fit_.slope_error > 0 ? fit_.slope_error : fit.slope_error);
    if (spread <= 0) fit.slope_error = fit_.slope_error;
  }
  // A single reading has no slope: it can convert (min_samples 1) but not judge jumps.
  if (n == 1) fit.slope_error = 0.0;
  return fit;
}

double PhcTimeModel::predictRelative(const Fit& fit, const Point& p) const {
  return fit.intercept_ns + fit.freq * static_cast<double>(p.phc_ns - fit.ref_phc_ns);
}

double PhcTimeModel::tolerance(const Point& p) const {
  const double precision = static_cast<double>(options_.precision.count());
  const double sigma = std::max(fit_.sigma_ns, precision);
  const double distance = std::fabs(static_cast<double>(p.phc_ns - fit_.ref_phc_ns));
  return 3 * precision + static_cast<double>(p.delay_ns) / 2 + 4 * sigma +
         3 * fit_.slope_error * distance;
}

bool PhcTimeModel::suspectsConsistent() const {
  // All on the same side of the old line...
  int positive = 0;
  for (const Point& p : suspects_) {
    const double residual =
        static_cast<double>(p.offset_ns - fit_.ref_offset_ns) - predictRelative(fit_, p);
    positive += residual > 0 ? 1 : 0;
  }
  if (positive != 0 && positive != static_cast<int>(suspects_.size())) return false;
  if (suspects_.size() < 3) return true;
  // ...and on a line of their own.
  const Fit own = fitLine(suspects_, /*use_prior=*/false);
  if (!own.valid) return false;
  const double precision = static_cast<double>(options_.precision.count());
  const double sigma = std::max(fit_.sigma_ns, precision);
  for (const Point& p : suspects_) {
    const double residual =
        static_cast<double>(p.offset_ns - own.ref_offset_ns) - predictRelative(own, p);
    if (std::fabs(residual) > 3 * precision + static_cast<double>(p.delay_ns) / 2 + 4 * sigma) {
      return false;
    }
  }
  return true;
}

bool PhcTimeModel::suspectsAreAStep() const {
  // Constant distance from the old line: residuals agree with their mean.
  double mean = 0;
  std::vector<double> residuals;
  for (const Point& p : suspects_) {
    residuals.push_back(static_cast<double>(p.offset_ns - fit_.ref_offset_ns) -
                        predictRelative(fit_, p));
    mean += residuals.back();
  }
  mean /= static_cast<double>(residuals.size());
  const double precision = static_cast<double>(options_.precision.count());
  const double sigma = std::max(fit_.sigma_ns, precision);
  for (size_t i = 0; i < suspects_.size(); ++i) {
    if (std::fabs(residuals[i] - mean) >
        3 * precision + static_cast<double>(suspects_[i].delay_ns) / 2 + 4 * sigma) {
      return false;
    }
  }
  return true;
}

void PhcTimeModel::restartWith(std::vector<Point> points) {
  ++generation_;
  if (points.size() > static_cast<size_t>(options_.max_samples)) {
    points.erase(points.begin(), points.end() - static_cast<ptrdiff_t>(options_.max_samples));
  }
  window_ = std::move(points);
  suspects_.clear();
  generation_start_phc_ns_ = window_.front().phc_ns;
  for (const Point& p : window_) {
    generation_start_phc_ns_ = std::min(generation_start_phc_ns_, p.phc_ns);
  }
  fit_ = fitLine(window_, /*use_prior=*/true);
  publish();
}

void PhcTimeModel::reset() {
  ++generation_;
  prior_weight_ = 0.0;
  window_.clear();
  suspects_.clear();
  fit_ = Fit{};
  publish();
}

void PhcTimeModel::publish() {
  PhcConversion c;
  c.generation = generation_;
  const bool ready = fit_.valid && suspects_.empty() && !window_.empty() &&
                     window_.size() >= static_cast<size_t>(options_.min_samples) &&
                     std::fabs(fit_.intercept_ns) < static_cast<double>(kLimit);
  int64_t offset_ns = 0;
  if (ready &&
      !__builtin_add_overflow(fit_.ref_offset_ns, roundClamped(fit_.intercept_ns), &offset_ns)) {
    c.phc_ref_ns = fit_.ref_phc_ns;
    c.offset_ns = offset_ns;
    c.freq = fit_.freq;
    c.valid_from_ns = std::min(generation_start_phc_ns_, fit_.ref_phc_ns);
    c.valid_until_ns = fit_.ref_phc_ns + options_.max_extrapolation.count();
    c.valid = 1;
  }
  conversion_ = c;
}

void PhcTimeModel::applySystemStep(Nanos step) {
  const int64_t d = step.count();
  bool ok = inRange(d);
  auto shift = [&](std::vector<Point>& points) {
    for (Point& p : points) {
      p.offset_ns += ok ? d : 0;
      ok = ok && inRange(p.offset_ns);
    }
  };
  if (ok) shift(window_);
  if (ok) shift(suspects_);
  if (!ok) {
    reset();
    return;
  }
  if (window_.empty()) return;
  fit_ = fitLine(window_, /*use_prior=*/true);
  publish();
}

PhcModelUpdate PhcTimeModel::addSample(const PhcSample& sample) {
  PhcModelUpdate update;
  const int64_t sys_ns = common::nanosSinceEpoch(sample.sys);
  const int64_t delay_ns = sample.delay.count();
  if (!inRange(sample.phc.ns) || !inRange(sys_ns) || delay_ns < 0 || !inRange(delay_ns) ||
      !inRange(sys_ns - sample.phc.ns)) {
    ++stats_.invalid;
    update.verdict = PhcSampleVerdict::kInvalid;
    return update;
  }
  const Point p{sample.phc.ns, sys_ns - sample.phc.ns, delay_ns};

  const Point* last = !suspects_.empty() ? &suspects_.back()
                      : !window_.empty() ? &window_.back()
                                         : nullptr;
  if (last != nullptr && std::llabs(p.phc_ns - last->phc_ns) > options_.max_extrapolation.count()) {
    ++stats_.gap_resets;
    prior_weight_ = 0.0;  // the rates may have changed in the gap
    restartWith({p});
    update.verdict = PhcSampleVerdict::kGapReset;
    return update;
  }

  const bool can_judge = fit_.valid && window_.size() >= 2;
  if (can_judge) {
    const double residual =
        static_cast<double>(p.offset_ns - fit_.ref_offset_ns) - predictRelative(fit_, p);
    const double allowed = tolerance(p);
    update.residual = Nanos(roundClamped(residual));
    update.tolerance = Nanos(roundClamped(allowed));
    if (std::fabs(residual) > allowed) {
      ++stats_.suspects;
      suspects_.push_back(p);
      if (suspects_.size() >= static_cast<size_t>(options_.jump_confirm_samples)) {
        if (suspectsConsistent()) {
          ++stats_.resets;
          const bool step = suspectsAreAStep();
          prior_freq_ = fit_.freq;
          prior_weight_ = step ? fit_.weighted_spread : 0.0;
          restartWith(std::move(suspects_));
          update.verdict = PhcSampleVerdict::kReset;
          return update;
        }
        suspects_.erase(suspects_.begin());  // the oldest was a lone outlier
        ++stats_.outliers;
      }
      publish();  // suspends conversions
      update.verdict = PhcSampleVerdict::kSuspect;
      return update;
    }
  }

  stats_.outliers += suspects_.size();
  suspects_.clear();
  window_.push_back(p);
  if (window_.size() > static_cast<size_t>(options_.max_samples)) window_.erase(window_.begin());
  // The generation covers PHC times from its earliest reading on.
  generation_start_phc_ns_ =
      window_.size() == 1 ? p.phc_ns : std::min(generation_start_phc_ns_, p.phc_ns);
  // Once the window is full again it carries the rate on its own.
  if (window_.size() >= static_cast<size_t>(options_.max_samples)) prior_weight_ = 0.0;
  fit_ = fitLine(window_, /*use_prior=*/true);
  publish();
  ++stats_.accepted;
  update.verdict = PhcSampleVerdict::kAccepted;
  return update;
}

}  // namespace strata::hwts
