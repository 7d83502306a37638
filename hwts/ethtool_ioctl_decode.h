#pragma once
// Pure decoders of the legacy ethtool ioctl answers (SIOCETHTOOL), the fallback when ethtool
// netlink is unavailable: struct ethtool_ts_info (ETHTOOL_GET_TS_INFO) and struct
// ethtool_link_settings (ETHTOOL_GLINKSETTINGS). No syscalls; thread-compatible.

#include <linux/ethtool.h>

#include "hwts/ts_info.h"

namespace strata::hwts {

TimestampingInfo decodeEthtoolTsInfo(const ethtool_ts_info& raw);
LinkInfo decodeEthtoolLinkSettings(const ethtool_link_settings& raw);

}  // namespace strata::hwts
