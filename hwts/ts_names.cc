#include "hwts/ts_names.h"

#include <array>

namespace strata::hwts {

namespace {

// Index = bit number / enum value (linux/net_tstamp.h).
constexpr std::array<std::string_view, 19> kSofNames = {
    "hardware-transmit",      // TX_HARDWARE
    "software-transmit",      // TX_SOFTWARE
    "hardware-receive",       // RX_HARDWARE
    "software-receive",       // RX_SOFTWARE
    "software-system-clock",  // SOFTWARE
    "hardware-legacy-clock",  // SYS_HARDWARE
    "hardware-raw-clock",     // RAW_HARDWARE
    "option-id",              // OPT_ID
    "sched-transmit",         // TX_SCHED
    "ack-transmit",           // TX_ACK
    "option-cmsg",            // OPT_CMSG
    "option-tsonly",          // OPT_TSONLY
    "option-stats",           // OPT_STATS
    "option-pktinfo",         // OPT_PKTINFO
    "option-tx-swhw",         // OPT_TX_SWHW
    "bind-phc",               // BIND_PHC
    "option-id-tcp",          // OPT_ID_TCP (Linux 6.2)
    "option-rx-filter",       // OPT_RX_FILTER (Linux 6.12)
    "tx-completion",          // TX_COMPLETION (Linux 6.15)
};

constexpr std::array<std::string_view, 4> kTxTypeNames = {"off", "on", "onestep-sync",
                                                          "onestep-p2p"};

constexpr std::array<std::string_view, 16> kRxFilterNames = {
    "none",           "all",           "some",
    "ptpv1-l4-event", "ptpv1-l4-sync", "ptpv1-l4-delay-req",
    "ptpv2-l4-event", "ptpv2-l4-sync", "ptpv2-l4-delay-req",
    "ptpv2-l2-event", "ptpv2-l2-sync", "ptpv2-l2-delay-req",
    "ptpv2-event",    "ptpv2-sync",    "ptpv2-delay-req",
    "ntp-all",
};

template <size_t N>
std::string_view lookup(const std::array<std::string_view, N>& table, int i) {
  if (i < 0 || static_cast<size_t>(i) >= N) return {};
  return table[static_cast<size_t>(i)];
}

template <size_t N>
std::optional<int> reverse(const std::array<std::string_view, N>& table, std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (table[i] == name) return static_cast<int>(i);
  }
  return std::nullopt;
}

template <size_t N>
std::vector<std::string> namesOf(const std::array<std::string_view, N>& table, uint64_t mask) {
  std::vector<std::string> out;
  for (int bit = 0; bit < 64; ++bit) {
    if (((mask >> bit) & 1) == 0) continue;
    std::string_view name = lookup(table, bit);
    out.emplace_back(name.empty() ? "bit-" + std::to_string(bit) : std::string(name));
  }
  return out;
}

template <size_t N>
std::string describe(const std::array<std::string_view, N>& table, int value) {
  std::string_view name = lookup(table, value);
  if (!name.empty()) return std::string(name);
  return "unknown (" + std::to_string(value) + ")";
}

}  // namespace

std::string_view sofFlagName(int bit) { return lookup(kSofNames, bit); }
std::string_view txTypeName(int tx_type) { return lookup(kTxTypeNames, tx_type); }
std::string_view rxFilterName(int rx_filter) { return lookup(kRxFilterNames, rx_filter); }

std::optional<int> sofFlagFromName(std::string_view name) { return reverse(kSofNames, name); }
std::optional<int> rxFilterFromName(std::string_view name) { return reverse(kRxFilterNames, name); }
std::optional<int> txTypeFromName(std::string_view name) { return reverse(kTxTypeNames, name); }

std::vector<std::string> sofFlagNames(uint64_t mask) { return namesOf(kSofNames, mask); }
std::vector<std::string> txTypeNames(uint64_t mask) { return namesOf(kTxTypeNames, mask); }
std::vector<std::string> rxFilterNames(uint64_t mask) { return namesOf(kRxFilterNames, mask); }

std::string describeRxFilter(int rx_filter) { return describe(kRxFilterNames, rx_filter); }
std::string describeTxType(int tx_type) { return describe(kTxTypeNames, tx_type); }

}  // namespace strata::hwts
