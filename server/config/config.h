#pragma once
// Config: the typed result of parsing a chrony.conf-syntax configuration (see parser.h), with
// chrony's defaults for every chrony directive and Strata's own directives documented in
// serving_config.h. Each area lives in its own header. Equality compares every field, so that
// parse(formatConfig(c)) == c can be checked. Plain values; thread-compatible; copy freely.

#include <vector>

#include "server/config/access_config.h"
#include "server/config/auth_config.h"
#include "server/config/control_config.h"
#include "server/config/deployment_config.h"
#include "server/config/discipline_config.h"
#include "server/config/hwtimestamp_config.h"
#include "server/config/logging_config.h"
#include "server/config/ratelimit_config.h"
#include "server/config/refclock_config.h"
#include "server/config/serving_config.h"
#include "server/config/source_config.h"

namespace strata::config {

struct Config {
  ServingConfig serving;                              // port, bindaddress, local, workers, ...
  AccessConfig access;                                // allow / deny (NTP clients)
  RateLimitConfig ratelimit = kNtpRateLimitDefaults;  // ratelimit
  ClientLogConfig client_log;                         // clientloglimit / noclientlog
  SourcesConfig sources;                              // server / pool / peer / sourcedir, ...
  std::vector<RefclockConfig> refclocks;              // refclock, in file order
  std::vector<HwTimestampConfig> hwtimestamps;        // hwtimestamp, one per interface
  DisciplineConfig discipline;  // driftfile, makestep, max*, leap seconds, ...
  LoggingConfig logging;        // logdir / log
  ControlConfig control;        // bindcmdaddress / cmdport / cmdallow, ...
  AuthConfig auth;              // keyfile / NTS server
  DeploymentConfig deployment;  // pidfile / user / sched_priority, ...

  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace strata::config
