#pragma once
// A ControlBackend with fixed, representative data, for unit tests and the integration test
// server (control_test_server). Figures are chosen to exercise chronyc's formats: several
// units (ns, us, ms, s), signs, IPv6, a refclock, an unresolved source, a client table that
// needs two pages, 64-bit counters. Not thread-safe (one thread at a time).

#include <string>
#include <vector>

#include "server/control/control_backend.h"

namespace strata::server::control::testing {

class FakeBackend : public ControlBackend {
 public:
  enum class Scenario { kFull, kEmpty };
  explicit FakeBackend(Scenario scenario = Scenario::kFull);

  TrackingReport tracking() override { return tracking_; }
  std::vector<SourceReport> sources() override { return sources_; }
  ServingReport serving() override { return serving_; }
  ClientPage clients(const ClientQuery& query) override;
  std::optional<NtpDataReport> ntpData(const common::IpAddress& remote) override;
  ActivityReport activity() override { return activity_; }
  CommandResult makestep() override;
  CommandResult setMakestep(common::Nanos threshold, int limit) override;

  // What the commands did, for assertions.
  int makestep_calls = 0;
  int set_makestep_calls = 0;
  common::Nanos last_threshold{0};
  int last_limit = 0;
  int reset_calls = 0;
  CommandResult makestep_result = CommandResult::kOk;

  TrackingReport tracking_;
  std::vector<SourceReport> sources_;
  ServingReport serving_;
  std::vector<ClientReport> client_table_;  // positions; an unset address marks a free slot
  std::vector<bool> client_used_;
  std::vector<NtpDataReport> ntp_data_;
  ActivityReport activity_;
};

}  // namespace strata::server::control::testing
