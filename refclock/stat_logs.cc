#include "refclock/stat_logs.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace strata::refclock {

namespace {

// "YYYY-MM-DD HH:MM:SS" in UTC; `micros` receives the microseconds.
std::string dateTime(SysTime t, int* micros = nullptr) {
  int64_t ns = common::nanosSinceEpoch(t);
  int64_t sec = ns / common::kNanosPerSecond;
  int64_t sub = ns % common::kNanosPerSecond;
  if (sub < 0) {
    sub += common::kNanosPerSecond;
    sec -= 1;
  }
  if (micros != nullptr) *micros = static_cast<int>(sub / 1000);
  time_t tt = static_cast<time_t>(sec);
  struct tm tm;
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

char leapChar(LeapIndicator l) {
  switch (l) {
    case LeapIndicator::kNone:
      return 'N';
    case LeapIndicator::kInsertSecond:
      return '+';
    case LeapIndicator::kDeleteSecond:
      return '-';
    case LeapIndicator::kUnsynchronized:
      return '?';
  }
  return '?';
}

std::string str(std::string_view v) { return std::string(v); }

}  // namespace

const char* statLogFileName(StatLogKind kind) {
  switch (kind) {
    case StatLogKind::kTracking:
      return "tracking.log";
    case StatLogKind::kMeasurements:
      return "measurements.log";
    case StatLogKind::kStatistics:
      return "statistics.log";
    case StatLogKind::kRefclocks:
      return "refclocks.log";
  }
  return "?";
}

const char* statLogBanner(StatLogKind kind) {
  switch (kind) {
    case StatLogKind::kTracking:
      return "   Date (UTC) Time     IP Address   St   Freq ppm   Skew ppm     Offset L Co  "
             "Offset sd Rem. corr. Root delay Root disp. Max. error";
    case StatLogKind::kMeasurements:
      return "   Date (UTC) Time     IP Address   L St 123 567 ABCD  LP RP Score    Offset  "
             "Peer del. Peer disp.  Root del. Root disp. Refid     MTxRx";
    case StatLogKind::kStatistics:
      return "   Date (UTC) Time     IP Address    Std dev'n Est offset  Offset sd  Diff freq   "
             "Est skew  Stress  Ns  Bs  Nr  Asym";
    case StatLogKind::kRefclocks:
      return "   Date (UTC) Time         Refid  DP L P  Raw offset   Cooked offset      Disp.";
  }
  return "";
}

std::string formatTrackingLine(const TrackingLogEntry& e) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s %-15s %2d %10.3f %10.3f %10.3e %1c %2d %10.3e %10.3e %10.3e %10.3e %10.3e",
                dateTime(e.time).c_str(), str(e.reference_name).c_str(), e.stratum, e.freq_ppm,
                e.skew_ppm, e.offset_s, leapChar(e.leap), e.combined, e.offset_sd_s,
                e.remaining_correction_s, e.root_delay_s, e.root_dispersion_s, e.max_error_s);
  return buf;
}

std::string formatStatisticsLine(const StatisticsLogEntry& e) {
  char buf[256];
  std::snprintf(
      buf, sizeof buf, "%s %-15s %10.3e %10.3e %10.3e %10.3e %10.3e %7.1e %3d %3d %3d %5.2f",
      dateTime(e.time).c_str(), str(e.name).c_str(), e.std_dev_s, e.est_offset_s, e.offset_sd_s,
      e.diff_freq, e.est_skew, e.stress, e.samples, e.new_start, e.runs, e.asymmetry);
  return buf;
}

std::string formatRefclockLine(const RefclockLogEntry& e) {
  int micros = 0;
  std::string when = dateTime(e.time, &micros);
  char buf[256];
  if (e.filtered) {
    std::snprintf(buf, sizeof buf, "%s.%06d %-5s   - %1c -       -       %13.6e %10.3e",
                  when.c_str(), micros, str(e.name).c_str(), leapChar(e.leap), e.cooked_offset_s,
                  e.dispersion_s);
  } else {
    std::snprintf(buf, sizeof buf, "%s.%06d %-5s %3d %1c %1d %13.6e %13.6e %10.3e", when.c_str(),
                  micros, str(e.name).c_str(), e.poll_sequence, leapChar(e.leap), e.pulse ? 1 : 0,
                  e.raw_offset_s, e.cooked_offset_s, e.dispersion_s);
  }
  return buf;
}

std::string formatMeasurementsLine(const MeasurementsLogEntry& e) {
  const bool* t = e.tests;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%s %-15s %1c %2d %1d%1d%1d %1d%1d%1d %1d%1d%1d%d  %2d %2d %4.2f %10.3e %10.3e "
                "%10.3e %10.3e %10.3e %08X %1d%1c %1c %1c",
                dateTime(e.time).c_str(), str(e.address).c_str(), leapChar(e.leap), e.stratum, t[0],
                t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], e.local_poll, e.remote_poll,
                e.score, e.offset_s, e.peer_delay_s, e.peer_dispersion_s, e.root_delay_s,
                e.root_dispersion_s, e.refid, e.mode, e.interleaved ? 'I' : 'B', e.tx_source,
                e.rx_source);
  return buf;
}

common::Result<std::unique_ptr<StatLogs>> StatLogs::open(StatLogOptions options) {
  if (::mkdir(options.dir.c_str(), 0755) < 0 && errno != EEXIST) {
    return common::makeError("cannot create logdir " + options.dir + ": " + std::strerror(errno));
  }
  std::unique_ptr<StatLogs> logs(new StatLogs(std::move(options)));
  logs->files_[static_cast<int>(StatLogKind::kTracking)].enabled = logs->options_.tracking;
  logs->files_[static_cast<int>(StatLogKind::kMeasurements)].enabled = logs->options_.measurements;
  logs->files_[static_cast<int>(StatLogKind::kStatistics)].enabled = logs->options_.statistics;
  logs->files_[static_cast<int>(StatLogKind::kRefclocks)].enabled = logs->options_.refclocks;
  auto r = logs->openAll();
  if (!r) return r.error();
  return logs;
}

StatLogs::~StatLogs() { closeAll(); }

common::Result<void> StatLogs::openAll() {
  for (int i = 0; i < 4; ++i) {
    File& file = files_[i];
    if (!file.enabled) continue;
    std::string path = options_.dir + "/" + statLogFileName(static_cast<StatLogKind>(i));
    file.f = std::fopen(path.c_str(), "a");
    if (file.f == nullptr) {
      return common::makeError("cannot open " + path + ": " + std::strerror(errno));
    }
    file.lines = 0;  // a fresh file (or reopened one) starts with a banner
  }
  return {};
}

void StatLogs::closeAll() {
  for (File& file : files_) {
    if (file.f != nullptr) std::fclose(file.f);
    file.f = nullptr;
  }
}

common::Result<void> StatLogs::reopen() {
  closeAll();
  return openAll();
}

void StatLogs::write(StatLogKind kind, const std::string& line) {
  File& file = files_[static_cast<int>(kind)];
  if (file.f == nullptr) return;
  bool ok = true;
  if (options_.banner_every > 0 && file.lines % options_.banner_every == 0) {
    std::string banner = statLogBanner(kind);
    std::string rule(banner.size(), '=');
    ok = std::fprintf(file.f, "%s\n%s\n%s\n", rule.c_str(), banner.c_str(), rule.c_str()) > 0;
  }
  ++file.lines;
  ok = std::fprintf(file.f, "%s\n", line.c_str()) > 0 && ok;
  ok = std::fflush(file.f) == 0 && ok;
  if (!ok && !logged_error_) {
    spdlog::error("cannot write {} in {} (further errors are not logged)", statLogFileName(kind),
                  options_.dir);
    logged_error_ = true;
  }
}

void StatLogs::onRefclockSample(const RefclockLogEntry& e) {
  write(StatLogKind::kRefclocks, formatRefclockLine(e));
}
void StatLogs::onStatistics(const StatisticsLogEntry& e) {
  write(StatLogKind::kStatistics, formatStatisticsLine(e));
}
void StatLogs::onTracking(const TrackingLogEntry& e) {
  write(StatLogKind::kTracking, formatTrackingLine(e));
}
void StatLogs::logMeasurement(const MeasurementsLogEntry& e) {
  write(StatLogKind::kMeasurements, formatMeasurementsLine(e));
}

}  // namespace strata::refclock
