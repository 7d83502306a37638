#pragma once
// `hwtimestamp IFACE|* [option]...`: NIC hardware timestamping. Defaults are chrony's.
// Values; thread-compatible.

#include <cstdint>
#include <optional>
#include <string>

#include "common/ntp_time.h"

namespace strata::config {

enum class HwRxFilter : uint8_t {
  kAuto,  // no rxfilter option: the most specific filter for NTP that the NIC supports
  kAll,
  kNtp,
  kPtp,
  kNone,
};

struct HwTimestampConfig {
  std::string interface;  // "*" = every capable interface (incapable ones skipped silently)
  int minpoll_log2 = 0;   // `minpoll`, -6..24: interval between readings of the NIC clock
  std::optional<int> maxpoll_log2;               // `maxpoll`, -6..24; unset = minpoll + 1
  int min_samples = 2;                           // 1..1024
  int max_samples = 16;                          // 1..1024
  common::Nanos precision = common::Nanos(100);  // `precision`, default 100e-9 s
  common::Nanos tx_comp = common::Nanos(0);      // added to NIC transmit timestamps
  common::Nanos rx_comp = common::Nanos(0);      // subtracted from NIC receive timestamps
  bool nocrossts = false;
  HwRxFilter rx_filter = HwRxFilter::kAuto;

  friend bool operator==(const HwTimestampConfig&, const HwTimestampConfig&) = default;
};

}  // namespace strata::config
