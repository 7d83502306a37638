#pragma once
// NIC hardware timestamping for stratad, as the `hwtimestamp` directives ask: enables it on
// each named interface (an interface that cannot do it stops start-up with an error naming
// it and the reason) or on every capable interface for `*` (incapable ones are skipped; one
// log line per interface says what it got), opens each enabled interface's PHC, and keeps a
// PhcTracker per interface whose conversion the serving workers apply to hardware stamps.
//
// Thread-safety: set-up and poll() on the daemon's main thread; table() is read by workers
// (immutable after set-up; the conversions inside are SeqLocks).

#include <memory>
#include <vector>

#include "common/result.h"
#include "hwts/hwtstamp_options.h"
#include "hwts/phc_tracker.h"
#include "server/config/hwtimestamp_config.h"
#include "server/hw_stamps.h"

namespace strata::stratad {

hwts::HwTimestampOptions hwTimestampOptions(const config::HwTimestampConfig& config);

class HardwareTimestamping {
 public:
  // Empty `configs`: nothing to do (software timestamps only).
  static common::Result<std::unique_ptr<HardwareTimestamping>> setUp(
      const std::vector<config::HwTimestampConfig>& configs);

  const server::HwInterfaceTable& table() const { return table_; }
  bool enabled() const { return !table_.empty(); }
  // Reads every PHC that is due; call at least every `pollIntervalMs()`.
  void poll();
  int pollIntervalMs() const;

 private:
  struct Tracked {
    std::unique_ptr<hwts::PhcTracker> tracker;
    int64_t next_poll_ms = 0;
    bool failing = false;  // the last reading failed (logged once until it recovers)
  };
  std::vector<Tracked> trackers_;
  server::HwInterfaceTable table_;
};

}  // namespace strata::stratad
