#include "tools/strataperf/stats.h"

#include <algorithm>
#include <cmath>

namespace strata::perf {

namespace {

uint64_t nextRandom(uint64_t& state) {
  // xorshift64*: fast and good enough to pick reservoir slots.
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545F4914F6CDD1Dull;
}

}  // namespace

SampleSet::SampleSet(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

void SampleSet::keep(int64_t value_ns) {
  ++seen_for_reservoir_;
  if (kept_.size() < capacity_) {
    kept_.push_back(value_ns);
    return;
  }
  uint64_t slot = nextRandom(rng_state_) % seen_for_reservoir_;
  if (slot < capacity_) kept_[slot] = value_ns;
}

void SampleSet::add(int64_t value_ns) {
  if (count_ == 0) {
    min_ = max_ = value_ns;
  } else {
    min_ = std::min(min_, value_ns);
    max_ = std::max(max_, value_ns);
  }
  ++count_;
  double delta = static_cast<double>(value_ns) - mean_;
  mean_ += delta / static_cast<double>(count_);
  m2_ += delta * (static_cast<double>(value_ns) - mean_);
  keep(value_ns);
}

void SampleSet::merge(const SampleSet& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  // Chan et al.'s parallel combination of running moments.
  double n_a = static_cast<double>(count_);
  double n_b = static_cast<double>(other.count_);
  double delta = other.mean_ - mean_;
  double n = n_a + n_b;
  mean_ += delta * n_b / n;
  m2_ += other.m2_ + delta * delta * n_a * n_b / n;
  count_ += other.count_;
  // Kept samples: exact while both fit; otherwise the reservoir treats the other's kept
  // samples as a stream (an approximation, flagged by exact_percentiles).
  for (int64_t v : other.kept_) keep(v);
  if (other.seen_for_reservoir_ > other.kept_.size()) {
    seen_for_reservoir_ += other.seen_for_reservoir_ - other.kept_.size();
  }
}

void SampleSet::clear() {
  count_ = 0;
  seen_for_reservoir_ = 0;
  min_ = max_ = 0;
  mean_ = m2_ = 0.0;
  kept_.clear();
}

int64_t nearestRankPercentile(const std::vector<int64_t>& sorted, double p) {
  double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  size_t index = rank < 1.0 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

Summary SampleSet::summary() const {
  Summary s;
  s.count = count_;
  if (count_ == 0) return s;
  s.min_ns = min_;
  s.max_ns = max_;
  s.mean_ns = mean_;
  s.stddev_ns = std::sqrt(std::max(0.0, m2_ / static_cast<double>(count_)));
  std::vector<int64_t> sorted = kept_;
  std::sort(sorted.begin(), sorted.end());
  s.p50_ns = nearestRankPercentile(sorted, 50.0);
  s.p99_ns = nearestRankPercentile(sorted, 99.0);
  s.exact_percentiles = seen_for_reservoir_ == kept_.size();
  return s;
}

}  // namespace strata::perf
