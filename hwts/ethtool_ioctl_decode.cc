#include "hwts/ethtool_ioctl_decode.h"

namespace strata::hwts {

TimestampingInfo decodeEthtoolTsInfo(const ethtool_ts_info& raw) {
  TimestampingInfo info;
  info.so_timestamping = raw.so_timestamping;
  info.phc_index = phcIndexFromKernel(raw.phc_index);
  info.tx_types = raw.tx_types;
  info.rx_filters = raw.rx_filters;
  return info;
}

LinkInfo decodeEthtoolLinkSettings(const ethtool_link_settings& raw) {
  LinkInfo link;
  if (raw.speed != 0 && raw.speed != static_cast<uint32_t>(SPEED_UNKNOWN)) {
    link.speed_mbps = raw.speed;
  }
  link.duplex = raw.duplex == DUPLEX_FULL   ? Duplex::kFull
                : raw.duplex == DUPLEX_HALF ? Duplex::kHalf
                                            : Duplex::kUnknown;
  return link;
}

}  // namespace strata::hwts
