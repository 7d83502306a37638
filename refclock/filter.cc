#include "refclock/filter.h"

#include <algorithm>
#include <cmath>

namespace strata::refclock {

SampleFilter::SampleFilter(FilterOptions options) : options_(options) {
  options_.length = std::max(1, options_.length);
  options_.min_samples = std::clamp(options_.min_samples, 1, options_.length);
  options_.keep_fraction = std::clamp(options_.keep_fraction, 0.0, 1.0);
  window_.reserve(static_cast<size_t>(options_.length));
}

FilterReject SampleFilter::add(const Measurement& m) {
  if (last_time_ && m.time <= *last_time_) return FilterReject::kOutOfOrder;
  last_time_ = m.time;
  if (window_.size() == static_cast<size_t>(options_.length)) window_.erase(window_.begin());
  window_.push_back(m);
  return FilterReject::kNone;
}

void SampleFilter::reset() {
  window_.clear();
  last_time_.reset();
}

void SampleFilter::shiftResidual(Nanos d) {
  for (auto& m : window_) m.residual -= d;
}

std::optional<Measurement> SampleFilter::take() {
  std::vector<Measurement> window;
  window.swap(window_);
  window_.reserve(static_cast<size_t>(options_.length));
  if (window.empty() || window.size() < static_cast<size_t>(options_.min_samples)) {
    return std::nullopt;
  }
  const size_t n = window.size();
  size_t keep = static_cast<size_t>(std::ceil(static_cast<double>(n) * options_.keep_fraction));
  keep = std::clamp<size_t>(keep, 1, n);

  if (options_.by_delay) {
    std::stable_sort(window.begin(), window.end(),
                     [](const Measurement& a, const Measurement& b) { return a.delay < b.delay; });
  } else {
    std::vector<Nanos> residuals;
    residuals.reserve(n);
    for (const auto& m : window) residuals.push_back(m.residual);
    std::nth_element(residuals.begin(), residuals.begin() + n / 2, residuals.end());
    Nanos median = residuals[n / 2];
    std::stable_sort(
        window.begin(), window.end(), [median](const Measurement& a, const Measurement& b) {
          return std::abs((a.residual - median).count()) < std::abs((b.residual - median).count());
        });
  }
  window.resize(keep);

  // Average relative to the first kept measurement so that sums stay small and exact.
  const Measurement& base = window.front();
  double dt = 0, doffset = 0, dresidual = 0, disp = 0, delay = 0;
  for (const auto& m : window) {
    dt += static_cast<double>((m.time - base.time).count());
    doffset += static_cast<double>((m.offset - base.offset).count());
    dresidual += static_cast<double>((m.residual - base.residual).count());
    disp += static_cast<double>(m.dispersion.count());
    delay += static_cast<double>(m.delay.count());
  }
  const double k = static_cast<double>(keep);
  double mean_residual = static_cast<double>(base.residual.count()) + dresidual / k;
  double var = 0;
  for (const auto& m : window) {
    double d = static_cast<double>(m.residual.count()) - mean_residual;
    var += d * d;
  }
  double sd = keep > 1 ? std::sqrt(var / (k - 1)) : 0.0;

  // Newest kept measurement carries the source's current state (leap, stratum, root values).
  const Measurement* newest = &window.front();
  for (const auto& m : window) {
    if (m.time > newest->time) newest = &m;
  }
  Measurement out = *newest;
  out.time = base.time + Nanos(std::llround(dt / k));
  out.offset = base.offset + Nanos(std::llround(doffset / k));
  out.residual = Nanos(std::llround(mean_residual));
  out.dispersion = Nanos(std::llround(std::max(disp / k, sd)));
  out.delay = options_.by_delay ? window.front().delay : Nanos(std::llround(delay / k));
  return out;
}

}  // namespace strata::refclock
