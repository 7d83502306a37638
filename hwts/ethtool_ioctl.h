#pragma once
// TsInfoSource over the legacy SIOCETHTOOL ioctls (ETHTOOL_GET_TS_INFO,
// ETHTOOL_GLINKSETTINGS), the fallback for kernels without ethtool netlink. Answers are
// decoded by the pure functions in ethtool_ioctl_decode.h. No privileges needed.
//
// Owns one datagram socket used only for ioctls. Not thread-safe: one per thread.

#include <memory>

#include "common/unique_fd.h"
#include "hwts/ts_info_source.h"

namespace strata::hwts {

class EthtoolIoctl final : public TsInfoSource {
 public:
  static common::Result<std::unique_ptr<EthtoolIoctl>> open();

  std::string_view sourceName() const override { return "ethtool ioctl"; }
  common::Result<TimestampingInfo> timestampingInfo(const InterfaceRef& iface) override;
  common::Result<LinkInfo> linkInfo(const InterfaceRef& iface) override;

 private:
  explicit EthtoolIoctl(common::UniqueFd fd) : fd_(std::move(fd)) {}
  // SIOCETHTOOL on `iface` with `data`; 0 or errno.
  int ethtool(const InterfaceRef& iface, void* data);

  common::UniqueFd fd_;
};

}  // namespace strata::hwts
