#pragma once
// Enabling hardware timestamping on interfaces, the way `hwtimestamp IFACE|*` asks:
// SIOCSHWTSTAMP with TX on and the RX filters tried in order (ntp-all, all, then TX only;
// the rxfilter option narrows the list), accepting an interface that SIOCGHWTSTAMP shows is
// already configured when setting fails. The kernel sits behind HwTstampControl; ethtool's
// view (TimestampingInfo), when known, prunes filters the NIC does not advertise and
// explains failures.
//
// Control path (start-up): returns Result with messages for people. Not thread-safe (the
// control object is not).

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "hwts/discovery.h"
#include "hwts/hwtstamp_control.h"
#include "hwts/hwtstamp_options.h"
#include "hwts/ts_info.h"

namespace strata::hwts {

// The HWTSTAMP_FILTER_* values to request, in order. Pure.
std::vector<int> planRxFilters(RxFilterChoice choice, const std::optional<TimestampingInfo>& info);

// Whether an RX filter the driver reports satisfies the choice (used for what SIOCSHWTSTAMP
// answered and for accepting an existing configuration). Pure.
bool rxFilterSatisfies(RxFilterChoice choice, int rx_filter);

struct HwTstampOutcome {
  std::string iface;
  int tx_type = HWTSTAMP_TX_OFF;         // as the driver reports it
  int rx_filter = HWTSTAMP_FILTER_NONE;  // as the driver reports it (may be wider than asked)
  bool rx_stamps_ntp = false;            // hardware RX stamps cover NTP packets
  bool already_configured = false;       // taken from SIOCGHWTSTAMP after setting failed
  std::optional<uint32_t> phc_index;     // from ethtool, when known
  std::vector<std::string> refused;      // filters the driver refused, "ntp-all: <reason>"

  // One line for the log: "eth0: hardware timestamping enabled: TX on, RX filter ntp-all
  // (PHC /dev/ptp0)".
  std::string describe() const;
};

// Enables hardware timestamping on one named interface. On failure the error names the
// interface and the reason (errno, what it means, and ethtool's capabilities when known).
common::Result<HwTstampOutcome> enableHwTimestamping(const std::string& iface,
                                                     const HwTimestampOptions& options,
                                                     HwTstampControl& control,
                                                     const std::optional<TimestampingInfo>& info);

// Per-interface result of `hwtimestamp *`.
struct WildcardEntry {
  InterfaceRef iface;
  std::optional<HwTstampOutcome> outcome;  // set when enabled
  std::string skipped_reason;              // set when skipped
  std::string describe() const;            // one log line
};

// `hwtimestamp *`: every interface; those that ethtool says cannot do it are skipped without
// touching them, those that refuse are skipped with the reason. Fails only when the
// interfaces cannot be listed.
common::Result<std::vector<WildcardEntry>> enableHwTimestampingEverywhere(
    const HwTimestampOptions& options, HwTstampControl& control, Discovery& discovery);

}  // namespace strata::hwts
