#pragma once
// chrony-style statistics log files in `logdir` for `log tracking measurements statistics
// refclocks`: tracking.log, measurements.log, statistics.log, refclocks.log, with chrony's
// column layouts and a banner (a line of '=', the column titles, a line of '=') at the top
// of each file and every `logbanner` entries (default 32; 0 = never).
//
// Line formatting is pure (tested against chrony's layouts); StatLogs owns the files, runs on
// the TimeKeeper thread, and reopen() re-opens them after rotation (chronyc `cyclelogs`).

#include <cstdio>
#include <memory>
#include <string>

#include "common/result.h"
#include "refclock/observer.h"

namespace strata::refclock {

enum class StatLogKind : uint8_t { kTracking, kMeasurements, kStatistics, kRefclocks };

// measurements.log (NTP sources; filled by the NTP client).
struct MeasurementsLogEntry {
  SysTime time{};
  std::string_view address;
  LeapIndicator leap = LeapIndicator::kNone;
  int stratum = 0;
  bool tests[10] = {};  // RFC 5905 tests 1-3, 5-7, maxdelay, ratio, devratio, loop
  int local_poll = 0;
  int remote_poll = 0;
  double score = 0;
  double offset_s = 0;  // positive: local clock slow of the source
  double peer_delay_s = 0;
  double peer_dispersion_s = 0;
  double root_delay_s = 0;
  double root_dispersion_s = 0;
  uint32_t refid = 0;
  int mode = 4;  // NTP mode of the response
  bool interleaved = false;
  char tx_source = 'D';  // D, K, H
  char rx_source = 'D';
};

const char* statLogFileName(StatLogKind kind);
const char* statLogBanner(StatLogKind kind);
std::string formatTrackingLine(const TrackingLogEntry& e);
std::string formatStatisticsLine(const StatisticsLogEntry& e);
std::string formatRefclockLine(const RefclockLogEntry& e);
std::string formatMeasurementsLine(const MeasurementsLogEntry& e);

struct StatLogOptions {
  std::string dir;
  bool tracking = false;
  bool measurements = false;
  bool statistics = false;
  bool refclocks = false;
  int banner_every = 32;  // `logbanner`
};

class StatLogs final : public TimeKeeperObserver {
 public:
  // Creates `dir` if missing and opens the enabled files for appending.
  static common::Result<std::unique_ptr<StatLogs>> open(StatLogOptions options);
  ~StatLogs() override;

  void onRefclockSample(const RefclockLogEntry& e) override;
  void onStatistics(const StatisticsLogEntry& e) override;
  void onTracking(const TrackingLogEntry& e) override;
  void logMeasurement(const MeasurementsLogEntry& e);
  // Closes and reopens every file (after logrotate moved them).
  common::Result<void> reopen();

 private:
  struct File {
    std::FILE* f = nullptr;
    int lines = 0;  // entries since the last banner
    bool enabled = false;
  };
  explicit StatLogs(StatLogOptions options) : options_(std::move(options)) {}
  common::Result<void> openAll();
  void closeAll();
  void write(StatLogKind kind, const std::string& line);

  StatLogOptions options_;
  File files_[4];
  bool logged_error_ = false;
};

}  // namespace strata::refclock
