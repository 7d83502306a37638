#pragma once
// stratad's upstream NTP sources: the `server`, `pool` (and `sourcedir`) lines of the
// configuration mapped onto the NTP client (refclock/ntp/), which runs on the time-keeping
// loop, feeds the TimeKeeper and answers the control reports that concern NTP sources
// (`ntpdata`, `activity`, the configured names and hidden replaced pool members in `sources`).
//
// Thread-safety: create() and start() before the loop thread runs (or on it); everything
// else on the loop thread. Destroy after the loop has stopped.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "refclock/ntp/ntp_client.h"
#include "refclock/stat_logs.h"
#include "refclock/time_keeper.h"
#include "refclock/time_keeper_loop.h"
#include "server/config/config.h"
#include "server/control/control_backend.h"

namespace strata::stratad {

class DaemonBackend;

// One configured source as the client takes it. Options Strata cannot honour are reported in
// `warnings` (ignored options) or make the source unusable (an error: `key` and `nts`, since
// polling without the requested authentication would be a silent downgrade).
common::Result<refclock::ntp::NtpSpec> ntpSpecFor(const config::NtpSourceConfig& c,
                                                  const config::DisciplineConfig& discipline,
                                                  int8_t precision_log2,
                                                  std::vector<std::string>& warnings);

// The client's ntpdata report of `member` translated for the control protocol.
server::control::NtpDataReport controlNtpData(const refclock::NtpDataReport& r,
                                              const refclock::ntp::SourceTotals* totals);

class NtpSources {
 public:
  // Null (no error) when the configuration has no usable NTP source. Unusable sources are
  // logged and skipped; a failure to set up the client itself is an error.
  static common::Result<std::unique_ptr<NtpSources>> create(const config::Config& config,
                                                            refclock::TimeKeeper& keeper,
                                                            refclock::TimeKeeperLoop& loop,
                                                            refclock::StatLogs* logs,
                                                            int8_t precision_log2);
  ~NtpSources();

  // Installs the NTP parts of the control reports into the daemon's backend.
  void attach(DaemonBackend& backend);
  refclock::ntp::NtpClient& client() { return *client_; }

 private:
  NtpSources() = default;

  std::unique_ptr<refclock::ntp::NtpClient> client_;
};

}  // namespace strata::stratad
