#pragma once
// Clock discipline and source selection: drift file, stepping, slewing limits, selection
// thresholds, leap seconds. Defaults are chrony's. Durations are common::Nanos parsed from
// seconds; frequencies are double ppm (`_ppm`); ratios are plain doubles. Values;
// thread-compatible.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/ntp_time.h"

namespace strata::config {

// `driftfile FILE [interval SECONDS]`.
struct DriftFileConfig {
  std::string path;
  std::chrono::seconds interval = std::chrono::seconds(3600);  // between writes, 1..2^31-1

  friend bool operator==(const DriftFileConfig&, const DriftFileConfig&) = default;
};

// `makestep THRESHOLD LIMIT`: step when the correction exceeds THRESHOLD, but only in the
// first LIMIT clock updates; a negative LIMIT means at any update.
struct MakeStepConfig {
  common::Nanos threshold = common::Nanos(0);
  int limit = 0;

  friend bool operator==(const MakeStepConfig&, const MakeStepConfig&) = default;
};

// `maxchange OFFSET START IGNORE`: after START updates, ignore up to IGNORE corrections
// larger than OFFSET, then exit; a negative IGNORE ignores them all without exiting.
struct MaxChangeConfig {
  common::Nanos offset = common::Nanos(0);
  int start = 0;
  int ignore = 0;

  friend bool operator==(const MaxChangeConfig&, const MaxChangeConfig&) = default;
};

// `smoothtime MAXFREQ MAXWANDER [leaponly]`. Typed, but Strata does not support server time
// smoothing: the daemon must refuse or ignore it (see directive_status.h).
struct SmoothTimeConfig {
  double max_freq_ppm = 0.0;
  double max_wander_ppm_per_s = 0.0;
  bool leap_only = false;

  friend bool operator==(const SmoothTimeConfig&, const SmoothTimeConfig&) = default;
};

enum class LeapSecMode : uint8_t { kSystem, kStep, kSlew, kIgnore };

struct DisciplineConfig {
  std::optional<DriftFileConfig> driftfile;  // unset = no drift file
  std::optional<MakeStepConfig> makestep;    // unset = never step (after start)
  bool rtcsync = false;
  int min_sources = 1;                                        // `minsources`, 1..256
  common::Nanos max_distance = common::Nanos(3'000'000'000);  // `maxdistance`
  common::Nanos max_jitter = common::Nanos(1'000'000'000);    // `maxjitter`
  double max_update_skew_ppm = 1000.0;                        // `maxupdateskew`
  double max_slew_rate_ppm = 1e6 / 12.0;                      // `maxslewrate`
  double max_drift_ppm = 500000.0;                            // `maxdrift`
  double max_clock_error_ppm = 1.0;                           // `maxclockerror`
  std::optional<MaxChangeConfig> maxchange;                   // unset = no limit
  double corr_time_ratio = 3.0;                               // `corrtimeratio`
  double combine_limit = 3.0;                                 // `combinelimit`
  common::Nanos reselect_distance = common::Nanos(100'000);   // `reselectdist`, 100 us
  common::Nanos stratum_weight = common::Nanos(1'000'000);    // `stratumweight`, 1 ms
  std::string leapsectz;                                      // empty = none
  LeapSecMode leapsecmode = LeapSecMode::kSystem;
  std::optional<SmoothTimeConfig> smoothtime;  // typed; unsupported by Strata
  // `fallbackdrift MIN MAX` (log2 seconds, 0..30); 0 in either = no fallback drifts.
  int fallback_drift_min_log2 = 0;
  int fallback_drift_max_log2 = 0;
  bool manual = false;  // `manual`: allow settime from the control tool

  friend bool operator==(const DisciplineConfig&, const DisciplineConfig&) = default;
};

}  // namespace strata::config
