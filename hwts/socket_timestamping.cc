#include "hwts/socket_timestamping.h"

#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace strata::hwts {

uint32_t timestampingFlags(const SocketTimestampingOptions& o) {
  uint32_t flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
  if (o.tx) flags |= SOF_TIMESTAMPING_OPT_ID;
  if (o.tx && !o.tx_reports_with_data) flags |= SOF_TIMESTAMPING_OPT_TSONLY;
  if (o.hardware) {
    flags |= SOF_TIMESTAMPING_RX_HARDWARE | SOF_TIMESTAMPING_RAW_HARDWARE;
    if (o.tx) flags |= SOF_TIMESTAMPING_OPT_TX_SWHW;
  }
  if (o.pktinfo) flags |= SOF_TIMESTAMPING_OPT_PKTINFO;
  return flags;
}

bool txReportsMayCarryData() {
  std::ifstream sysctl("/proc/sys/net/core/tstamp_allow_data");
  int value = 0;
  return static_cast<bool>(sysctl >> value) && value == 1;
}

common::Result<void> enableTimestamping(int fd, const SocketTimestampingOptions& options) {
  uint32_t flags = timestampingFlags(options);
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) != 0) {
    return common::makeError(std::string("SO_TIMESTAMPING: ") + std::strerror(errno));
  }
  return {};
}

common::Result<void> enablePacketInfo(int fd, bool ipv6) {
  int on = 1;
  int rc = ipv6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on)
                : setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);
  if (rc != 0) return common::makeError(std::string("packet info: ") + std::strerror(errno));
  return {};
}

common::Result<void> forbidFragmentation(int fd, bool ipv6) {
  const int probe = ipv6 ? IPV6_PMTUDISC_PROBE : IP_PMTUDISC_PROBE;
  int rc = ipv6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &probe, sizeof probe)
                : setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &probe, sizeof probe);
  if (rc != 0) {
    return common::makeError(std::string("path-MTU discovery: ") + std::strerror(errno));
  }
  return {};
}

}  // namespace strata::hwts
