#pragma once
// TsInfoSource over ethtool generic netlink (libnl-genl-3): ETHTOOL_MSG_TSINFO_GET and
// ETHTOOL_MSG_LINKMODES_GET with compact bitsets. The replies are handed, as raw attribute
// bytes, to the pure decoders in ethtool_nl_decode.h. No privileges needed.
//
// Owns one netlink socket. Not thread-safe: use one instance per thread.

#include <memory>

#include "hwts/ts_info_source.h"

struct nl_sock;

namespace strata::hwts {

class EthtoolNetlink final : public TsInfoSource {
 public:
  // Connects and resolves the "ethtool" genl family; fails on kernels without ethtool
  // netlink (before 5.6) or without the TSINFO command (before 5.7 it answers EOPNOTSUPP).
  static common::Result<std::unique_ptr<EthtoolNetlink>> open();
  ~EthtoolNetlink() override;
  EthtoolNetlink(const EthtoolNetlink&) = delete;
  EthtoolNetlink& operator=(const EthtoolNetlink&) = delete;

  std::string_view sourceName() const override { return "ethtool netlink"; }
  common::Result<TimestampingInfo> timestampingInfo(const InterfaceRef& iface) override;
  common::Result<LinkInfo> linkInfo(const InterfaceRef& iface) override;

 private:
  EthtoolNetlink(nl_sock* sock, int family) : sock_(sock), family_(family) {}
  // Sends a GET for `iface` and returns the attribute bytes of the reply.
  common::Result<std::vector<uint8_t>> request(uint8_t cmd, uint8_t reply_cmd,
                                               const InterfaceRef& iface);

  nl_sock* sock_;
  int family_;
};

}  // namespace strata::hwts
