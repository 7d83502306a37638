#pragma once
// Logging set-up for the programs (spdlog). Library code logs through spdlog's default
// logger and never chooses sinks; only a program's main calls setupLogging().
// Never log on the per-packet path.

#include <string>

#include "common/result.h"

namespace strata::common {

enum class LogTarget { kStderr, kSyslog, kFile };

struct LogOptions {
  LogTarget target = LogTarget::kStderr;
  std::string file_path;       // for kFile
  std::string ident = "strata";  // syslog identity / logger name
  bool debug = false;           // log debug messages too
};

// Replaces spdlog's default logger. Not thread-safe: call before starting threads.
Result<void> setupLogging(const LogOptions& options);

}  // namespace strata::common
