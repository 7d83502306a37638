#pragma once
// Everything stratad does to keep time, assembled from the configuration: clock control
// (a software-corrected timescale under -x, the kernel clock through clock_adjtime
// otherwise), the TimeKeeper with its reference clocks, the drift file, chrony-style
// statistics logs, and the loop thread that runs it all. The served state is published into
// the SeqLock the serving workers read. Other components that must run on the time-keeping
// thread (the control server, NTP sources) register their descriptors with loop().
//
// Thread-safety: create/start/stop from the daemon's main thread; keeper() may only be used
// on the loop thread (via loop().post() or from descriptors registered with the loop).

#include <memory>

#include "common/result.h"
#include "common/seqlock.h"
#include "proto/server_state.h"
#include "refclock/clock_control.h"
#include "refclock/driftfile.h"
#include "refclock/kernel_clock.h"
#include "refclock/leap.h"
#include "refclock/observer.h"
#include "refclock/stat_logs.h"
#include "refclock/time_keeper.h"
#include "refclock/time_keeper_loop.h"
#include "server/config/config.h"
#include "server/stratad/ntp_sources.h"

namespace strata::stratad {

// The TimeKeeper's options from chrony.conf's discipline, selection and `local` directives.
refclock::TimeKeeperOptions timeKeeperOptions(const config::Config& config, int8_t precision_log2);

class TimeKeeping {
 public:
  // Builds the clock control, the TimeKeeper and its refclocks (opening their devices; an
  // error names the refclock and the reason), reads the drift file and opens the logs.
  // `published` receives every new server state from now on (first during creation).
  static common::Result<std::unique_ptr<TimeKeeping>> create(
      const config::Config& config, bool no_clock_control, int8_t precision_log2,
      common::SeqLock<proto::ServerState>& published);
  ~TimeKeeping();

  refclock::TimeKeeper& keeper() { return *keeper_; }
  refclock::TimeKeeperLoop& loop() { return *loop_; }
  // The upstream NTP sources (`server`/`pool`), or null when none is configured.
  NtpSources* ntpSources() { return ntp_.get(); }

  void start();
  // Stops the loop thread, writes the drift file.
  void stop();
  // Reopens the statistics logs (SIGHUP, after logrotate). Thread-safe: runs on the loop.
  void reopenLogs();

 private:
  TimeKeeping() = default;

  std::unique_ptr<refclock::ClockAdjtimeBackend> adjtime_;
  std::unique_ptr<refclock::ClockControl> clock_;
  std::unique_ptr<refclock::LeapSecondTable> leap_table_;
  std::unique_ptr<refclock::TimeKeeper> keeper_;
  std::unique_ptr<refclock::DriftfileWriter> drift_;
  std::unique_ptr<refclock::StatLogs> logs_;
  refclock::ObserverList observers_;
  std::unique_ptr<refclock::TimeKeeperLoop> loop_;
  std::unique_ptr<NtpSources> ntp_;  // after loop_: destroyed first, with the loop stopped
  bool started_ = false;
};

}  // namespace strata::stratad
