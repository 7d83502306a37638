#pragma once
// Summary statistics of timestamp errors (nanoseconds): count, min, mean, max, standard
// deviation, median and 99th percentile. Pure; thread-compatible (one owner at a time).
//
// min/max/mean/stddev are exact over every sample added (Welford's running moments).
// Percentiles use the nearest-rank definition (the p-th percentile of n sorted samples is the
// sample of rank ceil(p/100 * n), 1-based) over the kept samples: all of them up to
// `capacity`, beyond that a uniform reservoir sample of `capacity` (Algorithm R with a fixed
// seed, so results are reproducible).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::perf {

struct Summary {
  uint64_t count = 0;
  int64_t min_ns = 0;
  int64_t max_ns = 0;
  double mean_ns = 0.0;
  double stddev_ns = 0.0;  // population standard deviation
  int64_t p50_ns = 0;
  int64_t p99_ns = 0;
  bool exact_percentiles = true;  // false when the reservoir had to sample
};

class SampleSet {
 public:
  static constexpr size_t kDefaultCapacity = 1 << 20;

  explicit SampleSet(size_t capacity = kDefaultCapacity);

  void add(int64_t value_ns);
  // Adds every sample of `other` (its moments exactly, its kept samples into the reservoir).
  void merge(const SampleSet& other);
  void clear();

  uint64_t count() const { return count_; }
  Summary summary() const;

 private:
  void keep(int64_t value_ns);

  size_t capacity_;
  uint64_t count_ = 0;
  uint64_t seen_for_reservoir_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;  // sum of squared deviations from the mean
  std::vector<int64_t> kept_;
  uint64_t rng_state_ = 0x9E3779B97F4A7C15ull;
};

// The nearest-rank p-th percentile (0 < p <= 100) of `sorted` (ascending, non-empty).
int64_t nearestRankPercentile(const std::vector<int64_t>& sorted, double p);

}  // namespace strata::perf
