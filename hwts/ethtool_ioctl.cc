#include "hwts/ethtool_ioctl.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "hwts/ethtool_ioctl_decode.h"

namespace strata::hwts {

using common::makeError;
using common::Result;
using common::UniqueFd;

Result<std::unique_ptr<EthtoolIoctl>> EthtoolIoctl::open() {
  // Any socket reaches the device ioctls; prefer UDP, fall back to a unix socket where
  // IPv4 is not configured.
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return makeError(std::string("ethtool ioctl: socket: ") + std::strerror(errno));
  return std::unique_ptr<EthtoolIoctl>(new EthtoolIoctl(UniqueFd(fd)));
}

int EthtoolIoctl::ethtool(const InterfaceRef& iface, void* data) {
  ifreq ifr{};
  if (iface.name.size() >= sizeof(ifr.ifr_name)) return ENAMETOOLONG;
  std::memcpy(ifr.ifr_name, iface.name.c_str(), iface.name.size() + 1);
  ifr.ifr_data = static_cast<char*>(data);
  return ::ioctl(fd_.get(), SIOCETHTOOL, &ifr) == 0 ? 0 : errno;
}

Result<TimestampingInfo> EthtoolIoctl::timestampingInfo(const InterfaceRef& iface) {
  ethtool_ts_info raw{};
  raw.cmd = ETHTOOL_GET_TS_INFO;
  if (int err = ethtool(iface, &raw); err != 0) {
    return makeError(std::string("ETHTOOL_GET_TS_INFO: ") + std::strerror(err));
  }
  return decodeEthtoolTsInfo(raw);
}

Result<LinkInfo> EthtoolIoctl::linkInfo(const InterfaceRef& iface) {
  // Handshake: with link_mode_masks_nwords = 0 the kernel answers with the negated number of
  // mask words it needs; the second call passes room for the three masks.
  constexpr size_t kMaxWords = 127;  // link_mode_masks_nwords is an __s8
  std::vector<uint32_t> buffer((sizeof(ethtool_link_settings) + 3 * kMaxWords * 4) / 4 + 1, 0);
  auto* settings = reinterpret_cast<ethtool_link_settings*>(buffer.data());
  settings->cmd = ETHTOOL_GLINKSETTINGS;
  if (int err = ethtool(iface, settings); err != 0) {
    return makeError(std::string("ETHTOOL_GLINKSETTINGS: ") + std::strerror(err));
  }
  const int nwords = -settings->link_mode_masks_nwords;
  if (settings->cmd != ETHTOOL_GLINKSETTINGS || nwords <= 0) {
    return makeError("ETHTOOL_GLINKSETTINGS: unexpected handshake answer");
  }
  std::fill(buffer.begin(), buffer.end(), 0);
  settings->cmd = ETHTOOL_GLINKSETTINGS;
  settings->link_mode_masks_nwords = static_cast<int8_t>(nwords);
  if (int err = ethtool(iface, settings); err != 0) {
    return makeError(std::string("ETHTOOL_GLINKSETTINGS: ") + std::strerror(err));
  }
  return decodeEthtoolLinkSettings(*settings);
}

}  // namespace strata::hwts
