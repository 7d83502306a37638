#include "hwts/ts_info.h"

#include <linux/net_tstamp.h>

#include <limits>

namespace strata::hwts {

bool rxFilterStampsNtp(int rx_filter) {
  // SOME means "at least what was asked for": only meaningful as a driver's answer to a
  // request for an NTP-covering filter, so it counts.
  return rx_filter == HWTSTAMP_FILTER_ALL || rx_filter == HWTSTAMP_FILTER_NTP_ALL ||
         rx_filter == HWTSTAMP_FILTER_SOME;
}

HardwareSupport assessHardwareSupport(const TimestampingInfo& info) {
  const bool raw = info.hasFlag(SOF_TIMESTAMPING_RAW_HARDWARE);
  const bool tx = info.hasFlag(SOF_TIMESTAMPING_TX_HARDWARE) && info.hasTxType(HWTSTAMP_TX_ON);
  if (!raw || !tx) return HardwareSupport::kNone;
  const bool rx =
      info.hasFlag(SOF_TIMESTAMPING_RX_HARDWARE) &&
      (info.hasRxFilter(HWTSTAMP_FILTER_NTP_ALL) || info.hasRxFilter(HWTSTAMP_FILTER_ALL));
  return rx ? HardwareSupport::kTxRx : HardwareSupport::kTxOnly;
}

std::optional<uint32_t> phcIndexFromKernel(int64_t raw) {
  if (raw < 0 || raw > std::numeric_limits<int32_t>::max()) return std::nullopt;
  return static_cast<uint32_t>(raw);
}

}  // namespace strata::hwts
