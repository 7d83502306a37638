#pragma once
// What the TimeKeeper tells the outside world besides the served state: entries for
// chrony-style log files (stat_logs.h) and frequency updates (driftfile.h). All callbacks
// run on the TimeKeeper thread; string_views are valid during the call only.
//
// Signs follow chrony's log files (documented per field).

#include <string_view>
#include <vector>

#include "refclock/sample.h"

namespace strata::refclock {

// refclocks.log: one line per raw driver sample and per filtered sample.
struct RefclockLogEntry {
  SysTime time{};          // served (UTC) time of the sample
  std::string_view name;   // the refclock's refid text
  int poll_sequence = -1;  // driver poll number within the poll interval; -1 filtered
  LeapIndicator leap = LeapIndicator::kNone;
  bool pulse = false;
  bool filtered = false;
  double raw_offset_s = 0;     // the driver's reference - local (positive: local slow)
  double cooked_offset_s = 0;  // after offset option / completion, reference - served
  double dispersion_s = 0;
};

// statistics.log: one line per regression.
struct StatisticsLogEntry {
  SysTime time{};
  std::string_view name;
  double std_dev_s = 0;
  double est_offset_s = 0;  // positive: local clock fast
  double offset_sd_s = 0;
  double diff_freq = 0;  // s/s, positive: local clock gaining vs the applied correction
  double est_skew = 0;   // s/s
  double stress = 0;
  int samples = 0;
  int new_start = 0;  // points discarded by the runs test
  int runs = 0;
  double asymmetry = 0;
};

// tracking.log: one line per clock update.
struct TrackingLogEntry {
  SysTime time{};
  std::string_view reference_name;  // source name (address for NTP, refid text for refclocks)
  int stratum = 0;
  double freq_ppm = 0;  // positive: the uncorrected clock runs fast
  double skew_ppm = 0;
  double offset_s = 0;  // positive: the clock is fast
  LeapIndicator leap = LeapIndicator::kNone;
  int combined = 0;
  double offset_sd_s = 0;
  double remaining_correction_s = 0;  // positive: the clock is slow
  double root_delay_s = 0;
  double root_dispersion_s = 0;
  double max_error_s = 0;
};

class TimeKeeperObserver {
 public:
  virtual ~TimeKeeperObserver() = default;
  virtual void onRefclockSample(const RefclockLogEntry&) {}
  virtual void onStatistics(const StatisticsLogEntry&) {}
  virtual void onTracking(const TrackingLogEntry&) {}
  // After each clock update: the frequency (positive = uncorrected clock fast) and its bound.
  virtual void onFrequency(SysTime /*served_now*/, double /*freq_ppm*/, double /*skew_ppm*/) {}
};

}  // namespace strata::refclock

namespace strata::refclock {

// Fans the callbacks out to several observers (e.g. the stat logs and the driftfile writer).
// Does not own them.
class ObserverList final : public TimeKeeperObserver {
 public:
  void add(TimeKeeperObserver* o) { observers_.push_back(o); }
  void onRefclockSample(const RefclockLogEntry& e) override {
    for (auto* o : observers_) o->onRefclockSample(e);
  }
  void onStatistics(const StatisticsLogEntry& e) override {
    for (auto* o : observers_) o->onStatistics(e);
  }
  void onTracking(const TrackingLogEntry& e) override {
    for (auto* o : observers_) o->onTracking(e);
  }
  void onFrequency(SysTime now, double freq_ppm, double skew_ppm) override {
    for (auto* o : observers_) o->onFrequency(now, freq_ppm, skew_ppm);
  }

 private:
  std::vector<TimeKeeperObserver*> observers_;
};

}  // namespace strata::refclock
