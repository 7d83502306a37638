#include "refclock/source.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace strata::refclock {

namespace {

FilterOptions filterOptionsFor(const SourceOptions& o) {
  FilterOptions f;
  f.length = std::max(1, o.filter_length);
  f.min_samples = std::min(4, f.length);
  f.by_delay = o.filter_by_delay;
  return f;
}

StatsOptions statsOptionsFor(const SourceOptions& o) {
  StatsOptions s;
  if (o.min_samples > 0) s.min_samples = o.min_samples;
  if (o.max_samples > 0) s.max_samples = o.max_samples;
  return s;
}

}  // namespace

Source::Source(SourceId id, SourceOptions options)
    : id_(id), options_(std::move(options)), stats_(statsOptionsFor(options_)) {
  if (options_.filter_length > 0) filter_.emplace(filterOptionsFor(options_));
}

bool Source::addMeasurement(const Measurement& m) {
  if (filter_) {
    if (filter_->add(m) != FilterReject::kNone) {
      countReject(RejectReason::kOutOfOrder);
      return false;
    }
  } else {
    if (!addPoint(m)) return false;
  }
  ++accepted_;
  return true;
}

bool Source::isOutlier(const Measurement& m) {
  constexpr int kMinPoints = 8;
  constexpr double kSigmas = 6.0;
  const auto& e = stats_.estimate();
  if (!e || !e->freq_valid || e->samples < kMinPoints) return false;
  const Measurement* last = stats_.newest();
  double elapsed = std::max(0.0, common::toSeconds(m.time - last->time));
  double sd = std::hypot(e->std_dev_s, e->offsetSdAt(m.time)) + e->skew * elapsed;
  double limit = std::max(kSigmas * sd, 3.0 * common::toSeconds(m.dispersion));
  double deviation = std::fabs(common::toSeconds(m.offset) - e->offsetAt(m.time));
  return deviation > limit;
}

bool Source::addPoint(const Measurement& m) {
  if (!stats_.points().empty() && m.time <= stats_.points().back().time) {
    countReject(RejectReason::kOutOfOrder);
    return false;
  }
  if (isOutlier(m)) {
    if (++consecutive_outliers_ < kMaxOutliers) {
      countReject(RejectReason::kOutlier);
      return false;
    }
    spdlog::warn("source {}: {} consecutive outliers, restarting its statistics", options_.name,
                 consecutive_outliers_);
    stats_.clear();
  }
  consecutive_outliers_ = 0;
  stats_.add(m);
  new_point_ = true;
  return true;
}

std::optional<Measurement> Source::pollFilter() {
  if (!filter_) return std::nullopt;
  std::optional<Measurement> m = filter_->take();
  if (m && options_.max_dispersion > Nanos(0) && m->dispersion > options_.max_dispersion) {
    countReject(RejectReason::kMaxDispersion);
    m.reset();
  }
  // An outlier still counts as reached: the source answered.
  markReach(m.has_value());
  if (m && !addPoint(*m)) m.reset();
  return m;
}

SourceBounds Source::bounds(SysTime now, const CorrectionModel& model,
                            double max_clock_error) const {
  SourceBounds b;
  const Measurement* p = stats_.newest();
  const auto& e = stats_.estimate();
  if (p == nullptr || !e) return b;
  double elapsed = std::max(0.0, common::toSeconds(now - p->time));
  b.offset_s = e->offsetAt(now) - common::toSeconds(model.offsetAt(now));
  b.root_delay_s = common::toSeconds(p->root_delay + p->delay);
  double skew = e->freq_valid ? e->skew : 0.0;
  b.root_dispersion_s = common::toSeconds(p->root_dispersion + p->dispersion) + e->offsetSdAt(now) +
                        (skew + max_clock_error) * elapsed;
  b.root_distance_s = 0.5 * b.root_delay_s + b.root_dispersion_s;
  return b;
}

Candidate Source::candidate(SysTime now, const CorrectionModel& model,
                            double max_clock_error) const {
  Candidate c;
  c.prefer = options_.prefer;
  c.noselect = options_.noselect;
  c.trust = options_.trust;
  c.require = options_.require;
  c.currently_selected = status_ == SelectStatus::kSelected;
  c.reachable = reach_ != 0;
  const Measurement* p = stats_.newest();
  const auto& e = stats_.estimate();
  if (p == nullptr || !e) return c;
  c.enough_samples = e->freq_valid;
  c.leap = p->leap;
  c.stratum = p->stratum;
  SourceBounds b = bounds(now, model, max_clock_error);
  c.offset_s = b.offset_s;
  c.root_distance_s = b.root_distance_s;
  c.jitter_s = e->std_dev_s;
  c.freq = e->freq;
  c.skew = e->skew;
  return c;
}

void Source::onServedStep(Nanos d) {
  if (filter_) filter_->shiftResidual(d);
}

void Source::onRawJump(Nanos d) {
  stats_.shiftRaw(d);
  if (filter_) filter_->reset();
  // Driver timestamps were taken on the old local scale; pairing across the jump is unsafe.
  last_sample_.valid = false;
}

void Source::onLeap(Nanos d) {
  stats_.shiftOffset(d);
  if (filter_) filter_->reset();
  last_sample_.valid = false;
}

void Source::clearHistory() {
  stats_.clear();
  if (filter_) filter_->reset();
  last_sample_.valid = false;
}

void Source::countReject(RejectReason r) {
  size_t i = static_cast<size_t>(r);
  ++rejects_[i];
  if ((logged_rejects_ & (1u << i)) == 0) {
    logged_rejects_ |= 1u << i;
    spdlog::warn("source {}: rejected a sample: {} (further ones are only counted)", options_.name,
                 rejectReasonName(r));
  }
}

}  // namespace strata::refclock
