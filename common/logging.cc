#include "common/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>
#include <spdlog/spdlog.h>
#include <syslog.h>

namespace strata::common {

Result<void> setupLogging(const LogOptions& options) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    switch (options.target) {
      case LogTarget::kStderr:
        logger = std::make_shared<spdlog::logger>(
            options.ident, std::make_shared<spdlog::sinks::stderr_sink_mt>());
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v", spdlog::pattern_time_type::utc);
        break;
      case LogTarget::kSyslog:
        logger = std::make_shared<spdlog::logger>(
            options.ident, std::make_shared<spdlog::sinks::syslog_sink_mt>(
                               options.ident, LOG_PID, LOG_DAEMON, /*enable_formatting=*/false));
        logger->set_pattern("%v");
        break;
      case LogTarget::kFile:
        logger = std::make_shared<spdlog::logger>(
            options.ident,
            std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file_path, false));
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
        break;
    }
  } catch (const spdlog::spdlog_ex& e) {
    return makeError(std::string("cannot open log: ") + e.what());
  }
  logger->set_level(options.debug ? spdlog::level::debug : spdlog::level::info);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  return {};
}

}  // namespace strata::common
