#pragma once
// chrony's driftfile: one line "FREQ_PPM SKEW_PPM" (FREQ positive = the uncorrected clock
// gains time; SKEW its error bound), written as "%20.6f %20.6f\n" to FILE.tmp and renamed
// over FILE. Read at start (the initial frequency), written every `interval` seconds of clock
// updates and on exit.
//
// parseDriftfile/formatDriftfile are pure (fuzzed); the rest touches files.
// DriftfileWriter runs on the TimeKeeper thread.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "refclock/observer.h"

namespace strata::refclock {

struct Drift {
  double freq_ppm = 0;
  double skew_ppm = 0;
};

// Accepts "FREQ SKEW" with surrounding whitespace; FREQ within +-500000 ppm, SKEW finite and
// non-negative. Anything else is an error (the caller starts without a drift then).
common::Result<Drift> parseDriftfile(std::string_view text);
std::string formatDriftfile(const Drift& drift);
common::Result<Drift> readDriftfile(const std::string& path);
// Atomic replace: PATH.tmp then rename().
common::Result<void> writeDriftfile(const std::string& path, const Drift& drift);

class DriftfileWriter final : public TimeKeeperObserver {
 public:
  DriftfileWriter(std::string path, double interval_s)
      : path_(std::move(path)), interval_s_(interval_s) {}
  // Remembers the frequency; writes when `interval` has passed since the last write.
  void onFrequency(SysTime served_now, double freq_ppm, double skew_ppm) override;
  // Writes the last frequency (if any), e.g. on exit.
  void flush();

 private:
  void write();
  std::string path_;
  double interval_s_;
  std::optional<Drift> last_;
  std::optional<SysTime> last_write_;
  bool logged_error_ = false;
};

}  // namespace strata::refclock
