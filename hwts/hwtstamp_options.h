#pragma once
// Options of chrony's `hwtimestamp IFACE|* [options]` directive, typed. The configuration
// parser keeps its own copy of these and maps it here; defaults are chrony's.
// A plain value; thread-compatible.

#include <optional>
#include <string_view>

#include "common/ntp_time.h"

namespace strata::hwts {

// Which received packets the NIC should time-stamp (chrony's `rxfilter`).
enum class RxFilterChoice : uint8_t {
  kAny,   // default: the most specific filter covering NTP: ntp-all, else all, else none
  kAll,   // HWTSTAMP_FILTER_ALL
  kNtp,   // HWTSTAMP_FILTER_NTP_ALL
  kPtp,   // HWTSTAMP_FILTER_PTP_V2_EVENT (for NTP-over-PTP on PTP-only NICs)
  kNone,  // HWTSTAMP_FILTER_NONE: transmit timestamps only
};

struct HwTimestampOptions {
  int minpoll_log2 = 0;          // PHC reading interval, minimum (2^n s; chrony: -6..)
  int maxpoll_log2 = 1;          // ... maximum (chrony: minpoll + 1)
  int min_samples = 2;           // PHC readings kept for the conversion, at least
  int max_samples = 16;          // ... at most
  common::Nanos precision{100};  // assumed precision of a PHC reading
  common::Nanos tx_comp{0};      // added to hardware TX timestamps
  common::Nanos rx_comp{0};      // subtracted from hardware RX timestamps
  bool no_cross_ts = false;      // `nocrossts`: don't use PTP_SYS_OFFSET_PRECISE
  RxFilterChoice rx_filter = RxFilterChoice::kAny;

  friend bool operator==(const HwTimestampOptions&, const HwTimestampOptions&) = default;
};

// "all", "ntp", "ptp", "none" (chrony's words); nullopt for anything else.
std::optional<RxFilterChoice> parseRxFilterChoice(std::string_view word);
std::string_view rxFilterChoiceName(RxFilterChoice choice);  // "any" for kAny

}  // namespace strata::hwts
