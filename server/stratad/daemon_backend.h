#pragma once
// DaemonBackend: the control server's and metrics endpoint's view of the running daemon.
// Tracking, sources, source statistics, activity and makestep come from the TimeKeeper;
// serving figures from the serving engine's per-worker counters; `clients` from snapshots
// the workers take of their client logs on request; `ntpdata` from the NTP sources (a
// provider the upstream client installs).
//
// Thread-safety: call only on the time-keeping loop thread (the control and metrics servers
// are registered there), since the TimeKeeper is single-threaded.

#include <functional>
#include <optional>
#include <vector>

#include "refclock/time_keeper.h"
#include "server/client_log.h"
#include "server/control/control_backend.h"
#include "server/serving_engine.h"

namespace strata::stratad {

class DaemonBackend final : public server::control::ControlBackend {
 public:
  using NtpDataProvider =
      std::function<std::optional<server::control::NtpDataReport>(const common::IpAddress&)>;
  // NTP sources (installed by NtpSources): completes the report of TimeKeeper source `id`
  // (configured name, address) and returns false to hide it (a replaced pool member).
  using SourceDecorator =
      std::function<bool(refclock::SourceId id, server::control::SourceReport& report)>;
  // NTP sources: the `activity` counts (online, offline, burst, unresolved names).
  using ActivityProvider = std::function<server::control::ActivityReport()>;

  DaemonBackend(refclock::TimeKeeper& keeper, server::ServingEngine& engine)
      : keeper_(keeper), engine_(engine) {}
  void setNtpDataProvider(NtpDataProvider provider) { ntp_data_ = std::move(provider); }
  void setSourceDecorator(SourceDecorator decorator) { decorate_ = std::move(decorator); }
  void setActivityProvider(ActivityProvider provider) { activity_ = std::move(provider); }

  server::control::TrackingReport tracking() override;
  std::vector<server::control::SourceReport> sources() override;
  server::control::ServingReport serving() override;
  server::control::ClientPage clients(const server::control::ClientQuery& query) override;
  std::optional<server::control::NtpDataReport> ntpData(const common::IpAddress& remote) override;
  server::control::ActivityReport activity() override;
  server::control::CommandResult makestep() override;
  server::control::CommandResult setMakestep(common::Nanos threshold, int limit) override;

 private:
  // Gathers every worker's client records; reused by the pages that follow within a second.
  void refreshClients(bool reset);

  refclock::TimeKeeper& keeper_;
  server::ServingEngine& engine_;
  NtpDataProvider ntp_data_;
  SourceDecorator decorate_;
  ActivityProvider activity_;
  std::vector<server::ClientRecord> clients_;
  common::Nanos clients_taken_{0};  // monotonic time of the last snapshot
};

}  // namespace strata::stratad
