#pragma once
// File logging (`logdir`, `log`). Values; thread-compatible.

#include <string>

namespace strata::config {

// `log OPTION...`: unlike most directives, several `log` lines add up.
struct LogSelection {
  bool measurements = false;      // measurements.log, valid measurements only
  bool raw_measurements = false;  // measurements.log, every measurement
  bool selection = false;         // selection.log
  bool statistics = false;        // statistics.log
  bool tracking = false;          // tracking.log
  bool rtc = false;               // rtc.log
  bool refclocks = false;         // refclocks.log
  bool tempcomp = false;          // tempcomp.log

  friend bool operator==(const LogSelection&, const LogSelection&) = default;
};

struct LoggingConfig {
  std::string logdir;  // empty = no log files are written
  LogSelection log;

  friend bool operator==(const LoggingConfig&, const LoggingConfig&) = default;
};

}  // namespace strata::config
