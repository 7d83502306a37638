#pragma once
// Source: the pipeline state of one time source (a refclock now, an NTP server later):
// optional sample filter -> statistics (regression), reachability register, the last
// samples (for lock pairing and reports), selection status and reject counters.
//
// Sources are created and driven by TimeKeeper; measurements arrive already on the raw
// timescale. Pure (no I/O, no clock reads); not thread-safe.

#include <cstdint>
#include <optional>
#include <utility>

#include "refclock/correction_model.h"
#include "refclock/filter.h"
#include "refclock/reject.h"
#include "refclock/selection.h"
#include "refclock/source_options.h"
#include "refclock/source_stats.h"

namespace strata::refclock {

using SourceId = uint32_t;

// Error bounds of a source at some raw time, for selection and the served root values.
struct SourceBounds {
  double offset_s = 0;           // estimated reference - served at that time
  double root_delay_s = 0;       // the source's root delay + its own delay
  double root_dispersion_s = 0;  // grown to that time
  double root_distance_s = 0;    // root_delay/2 + root_dispersion
};

class Source {
 public:
  Source(SourceId id, SourceOptions options);

  SourceId id() const { return id_; }
  const SourceOptions& options() const { return options_; }

  // Takes a measurement: into the filter, or (no filter) straight into the statistics.
  // Returns false if it was out of order.
  bool addMeasurement(const Measurement& m);
  // Adds a point to the statistics after the outlier test; false if it was not kept.
  bool addPoint(const Measurement& m);
  // Ends a poll interval (sources with a filter): the filtered measurement, if the filter
  // produced one, goes into the statistics and the reach register shifts in a 1; otherwise
  // a 0. Returns the filtered measurement.
  std::optional<Measurement> pollFilter();
  bool hasFilter() const { return filter_.has_value(); }
  // Sources without a filter update the reach register themselves (NTP: per request).
  void markReach(bool ok) { reach_ = static_cast<uint8_t>((reach_ << 1) | (ok ? 1 : 0)); }
  uint8_t reach() const { return reach_; }
  void setPoll(int poll_log2) { options_.poll_log2 = poll_log2; }

  const SourceStats& stats() const { return stats_; }
  // True when a new point reached the statistics since clearNewPoint().
  bool hasNewPoint() const { return new_point_; }
  void clearNewPoint() { new_point_ = false; }

  // Outlier test of a point against the statistics: true if it is far outside the
  // prediction (6 sigma, at least 3 x its own dispersion). After kMaxOutliers consecutive
  // outliers the source is taken to have really moved: the history is dropped.
  static constexpr int kMaxOutliers = 4;
  bool isOutlier(const Measurement& m);

  // Bounds at raw time `now`, with `max_clock_error` the assumed wander of our clock since
  // the newest point. Requires a point (stats().newest()).
  SourceBounds bounds(SysTime now, const CorrectionModel& model, double max_clock_error) const;
  // Selection input at raw time `now`.
  Candidate candidate(SysTime now, const CorrectionModel& model, double max_clock_error) const;

  SelectStatus status() const { return status_; }
  void setStatus(SelectStatus s) { status_ = s; }

  // The served time was stepped by d / the raw timescale jumped by d.
  void onServedStep(Nanos d);
  void onRawJump(Nanos d);
  // The reference timescale jumped by d (leap second): history moves, waiting samples go.
  void onLeap(Nanos d);
  // Forget all history (leapsecmode ignore: let fresh samples show the new offset).
  void clearHistory();

  // Counting and one-line logging of rejects (the first per reason is logged).
  void countReject(RejectReason r);
  // Counts without the log line (the caller logged its own, e.g. a device fault).
  void countQuietly(RejectReason r) { ++rejects_[static_cast<size_t>(r)]; }
  const RejectCounters& rejects() const { return rejects_; }
  uint64_t accepted() const { return accepted_; }

  // The newest accepted sample as the driver gave it (local time, total offset), for
  // completing other sources' pulses (lock) and raw-sample logs.
  struct LastSample {
    SysTime local_time{};
    Nanos offset{0};  // reference - local, `offset` option included
    bool valid = false;
  };
  const LastSample& lastSample() const { return last_sample_; }
  void setLastSample(SysTime local_time, Nanos offset) {
    last_sample_ = {local_time, offset, true};
  }

  // Device fault state (logged once until it recovers).
  bool faulted = false;
  // Scheduling (TimeKeeper's; local time).
  SysTime next_filter_poll{};
  SysTime next_driver_poll{};
  int poll_sequence = 0;  // driver polls within the current filter interval (refclocks.log)

 private:
  SourceId id_;
  SourceOptions options_;
  std::optional<SampleFilter> filter_;
  SourceStats stats_;
  uint8_t reach_ = 0;
  bool new_point_ = false;
  int consecutive_outliers_ = 0;
  SelectStatus status_ = SelectStatus::kUnreachable;
  RejectCounters rejects_{};
  uint32_t logged_rejects_ = 0;  // bit per reason
  uint64_t accepted_ = 0;
  LastSample last_sample_;
};

}  // namespace strata::refclock
