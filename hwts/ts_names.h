#pragma once
// Names for timestamping flags, TX types and RX filters, as `ethtool -T` and the kernel's
// ethtool string sets spell them ("hardware-raw-clock", "on", "ntp-all"), and the inverse
// lookups. Pure; thread-safe (static tables).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::hwts {

// Name of SOF_TIMESTAMPING bit `bit` (0-based), or empty if unknown.
std::string_view sofFlagName(int bit);
// Name of HWTSTAMP_TX_* value, or empty if unknown.
std::string_view txTypeName(int tx_type);
// Name of HWTSTAMP_FILTER_* value, or empty if unknown.
std::string_view rxFilterName(int rx_filter);

// The inverse lookups (exact names as above).
std::optional<int> sofFlagFromName(std::string_view name);  // bit number
std::optional<int> rxFilterFromName(std::string_view name);
std::optional<int> txTypeFromName(std::string_view name);

// Names of every set bit of a mask, lowest first; bits without a name become "bit-N".
std::vector<std::string> sofFlagNames(uint64_t mask);
std::vector<std::string> txTypeNames(uint64_t mask);
std::vector<std::string> rxFilterNames(uint64_t mask);

// A filter or TX type value for messages: its name, or "unknown (N)".
std::string describeRxFilter(int rx_filter);
std::string describeTxType(int tx_type);

}  // namespace strata::hwts
