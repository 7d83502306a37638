#pragma once
// What an interface can do for packet timestamping, as ethtool reports it (netlink
// ETHTOOL_MSG_TSINFO_GET or ioctl ETHTOOL_GET_TS_INFO), and its link speed/duplex.
// Plain values, pure predicates; thread-compatible.
//
// Bit numbering follows the kernel's uapi (linux/net_tstamp.h):
//  - so_timestamping: bit i = SOF_TIMESTAMPING flag (1 << i);
//  - tx_types:        bit i = enum hwtstamp_tx_types value i (HWTSTAMP_TX_ON = 1, ...);
//  - rx_filters:      bit i = enum hwtstamp_rx_filters value i (HWTSTAMP_FILTER_ALL = 1, ...).
// Bits beyond 63 (none are defined today) are dropped by the decoders.

#include <cstdint>
#include <optional>

namespace strata::hwts {

struct TimestampingInfo {
  uint64_t so_timestamping = 0;       // supported SOF_TIMESTAMPING_* flags
  std::optional<uint32_t> phc_index;  // /dev/ptpN of the NIC's clock; none if absent
  uint64_t tx_types = 0;              // supported HWTSTAMP_TX_* values, one bit each
  uint64_t rx_filters = 0;            // supported HWTSTAMP_FILTER_* values, one bit each

  bool hasFlag(uint32_t sof_flag) const { return (so_timestamping & sof_flag) != 0; }
  bool hasTxType(int tx_type) const { return bitSet(tx_types, tx_type); }
  bool hasRxFilter(int rx_filter) const { return bitSet(rx_filters, rx_filter); }

  friend bool operator==(const TimestampingInfo&, const TimestampingInfo&) = default;

 private:
  static bool bitSet(uint64_t mask, int bit) {
    return bit >= 0 && bit < 64 && ((mask >> bit) & 1) != 0;
  }
};

enum class Duplex : uint8_t { kUnknown, kHalf, kFull };

struct LinkInfo {
  std::optional<uint32_t> speed_mbps;  // none when the driver reports SPEED_UNKNOWN or 0
  Duplex duplex = Duplex::kUnknown;

  friend bool operator==(const LinkInfo&, const LinkInfo&) = default;
};

// How much hardware timestamping an interface offers for NTP, judged from ethtool alone
// (SIOCSHWTSTAMP has the last word).
enum class HardwareSupport : uint8_t {
  kNone,    // no raw hardware clock, or no hardware TX/RX stamping, or TX type "on" missing
  kTxOnly,  // TX stamps; no RX filter that stamps NTP packets (e.g. PTP-only NICs)
  kTxRx,    // TX stamps and an RX filter (ntp-all or all) that stamps NTP packets
};

HardwareSupport assessHardwareSupport(const TimestampingInfo& info);

// True if hardware RX stamps with this HWTSTAMP_FILTER_* value cover NTP packets.
bool rxFilterStampsNtp(int rx_filter);

// A PHC index as reported by the drivers is valid if it fits /dev/ptpN (kernel: int >= 0).
// ethtool uses -1 (ioctl) or an absent attribute (netlink) for "no PHC".
std::optional<uint32_t> phcIndexFromKernel(int64_t raw);

}  // namespace strata::hwts
