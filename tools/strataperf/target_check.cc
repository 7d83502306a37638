#include "tools/strataperf/target_check.h"

#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/clock.h"
#include "common/unique_fd.h"
#include "hwts/system_discovery.h"
#include "hwts/ts_info.h"
#include "tools/strataperf/reply_check.h"

namespace strata::perf {

common::Result<void> decideTargetLocality(const common::SocketAddress& server,
                                          const TargetFacts& facts, bool hardware) {
  if (facts.target_loopback || facts.target_local_address || facts.interface_loopback ||
      facts.interface_veth || hardware) {
    return {};
  }
  return common::makeError(
      "server " + server.toString() + " is not on this host (its route leaves through " +
      (facts.interface.empty() ? std::string("an unknown interface") : facts.interface) +
      "): strataperf compares the server's timestamps with this host's clock, which only "
      "means something on one host (loopback, a local address, or a network namespace behind "
      "a veth pair). For a server on another host use --hw IFACE with NIC hardware "
      "timestamps and PHCs synchronized to the server's clock.");
}

namespace {

common::Error sysError(const std::string& what) {
  return common::makeError(what + ": " + std::strerror(errno));
}

bool sameAddress(const sockaddr* sa, const common::IpAddress& ip) {
  if (sa == nullptr) return false;
  socklen_t len = sa->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  auto a = common::SocketAddress::fromSockaddr(sa, len);
  return a && a->ip == ip;
}

std::string driverOf(const std::string& interface) {
  common::UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return "";
  ethtool_drvinfo info{};
  info.cmd = ETHTOOL_GDRVINFO;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, interface.c_str(), IFNAMSIZ - 1);
  ifr.ifr_data = reinterpret_cast<char*>(&info);
  if (ioctl(fd.get(), SIOCETHTOOL, &ifr) != 0) return "";
  return info.driver;
}

}  // namespace

common::Result<TargetFacts> inspectRoute(const common::SocketAddress& server) {
  TargetFacts facts;
  facts.target_loopback = server.ip.isLoopback();
  bool v6 = server.ip.isV6();
  common::UniqueFd fd(socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return sysError("socket");
  sockaddr_storage ss;
  socklen_t len = server.toSockaddr(ss, v6);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return common::makeError("server " + server.toString() +
                             " is unreachable: " + std::strerror(errno));
  }
  sockaddr_storage local;
  socklen_t local_len = sizeof local;
  if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &local_len) != 0) {
    return sysError("getsockname");
  }
  auto source = common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&local), local_len);

  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return sysError("getifaddrs");
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (sameAddress(i->ifa_addr, server.ip)) facts.target_local_address = true;
    if (source && sameAddress(i->ifa_addr, source->ip) && facts.interface.empty()) {
      facts.interface = i->ifa_name;
      facts.interface_loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
    }
  }
  freeifaddrs(list);
  // The source address names the interface only approximately (a host may route out of an
  // interface other than the one holding its source address); for a veth pair in a test
  // namespace both are the veth end.
  if (!facts.interface.empty() && !facts.interface_loopback) {
    facts.interface_veth = driverOf(facts.interface) == "veth";
  }
  return facts;
}

common::Result<ProbeResult> probeServer(const common::SocketAddress& server,
                                        const common::IpAddress& source,
                                        std::chrono::milliseconds timeout) {
  bool v6 = server.ip.isV6();
  common::UniqueFd fd(socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return sysError("socket");
  sockaddr_storage ss;
  socklen_t len = common::SocketAddress{source, 0}.toSockaddr(ss, v6);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return common::makeError("cannot use client address " + source.toString() + ": " +
                             std::strerror(errno));
  }
  len = server.toSockaddr(ss, v6);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return common::makeError("server " + server.toString() +
                             " is unreachable: " + std::strerror(errno));
  }
  uint8_t request[proto::kNtpHeaderSize];
  uint64_t cookie = makeTransmitCookie(1, static_cast<uint64_t>(common::monotonicNow().count()));
  encodeRequest(RequestFields{0, 0, cookie}, std::span<uint8_t, proto::kNtpHeaderSize>(request));
  common::Nanos start = common::monotonicNow();
  if (send(fd.get(), request, sizeof request, 0) < 0) {
    return common::makeError("cannot send to " + server.toString() + ": " + std::strerror(errno));
  }
  common::Nanos deadline = start + timeout;
  for (;;) {
    common::Nanos now = common::monotonicNow();
    if (now >= deadline) break;
    pollfd p{fd.get(), POLLIN, 0};
    int wait_ms = static_cast<int>((deadline - now).count() / 1'000'000) + 1;
    if (poll(&p, 1, wait_ms) <= 0) continue;
    uint8_t reply[1024];
    ssize_t n = recv(fd.get(), reply, sizeof reply, 0);
    if (n < 0) {
      if (errno == ECONNREFUSED) {
        return common::makeError("nothing answers NTP at " + server.toString() +
                                 " (port unreachable): is the server running on that port?");
      }
      continue;
    }
    ProbeResult result;
    ReplyVerdict verdict;
    if (!parseReply(std::span<const uint8_t>(reply, static_cast<size_t>(n)), result.reply,
                    verdict) ||
        (verdict = matchReply(result.reply, cookie, false)) == ReplyVerdict::kOriginMismatch) {
      return common::makeError("server " + server.toString() + " sent an invalid reply (" +
                               replyVerdictName(verdict) + ")");
    }
    result.round_trip = common::monotonicNow() - start;
    return result;
  }
  return common::makeError("no reply from " + server.toString() + " within " +
                           std::to_string(timeout.count()) +
                           " ms: is it an NTP server that serves this client (allow)?");
}

common::Result<void> checkHardwareInterface(const std::string& interface) {
  hwts::SystemDiscovery system;
  auto report = system.discovery().probe(interface);
  if (!report) return common::makeError("--hw " + interface + ": " + report.error().message);
  if (!report->timestamping) {
    return common::makeError("--hw " + interface + ": cannot read its timestamping capabilities (" +
                             report->timestamping_error + ")");
  }
  switch (hwts::assessHardwareSupport(*report->timestamping)) {
    case hwts::HardwareSupport::kTxRx:
      return {};
    case hwts::HardwareSupport::kTxOnly:
      return common::makeError("--hw " + interface +
                               ": the NIC stamps only transmitted packets in hardware (no RX "
                               "filter for NTP), so replies would have no hardware RX stamp");
    case hwts::HardwareSupport::kNone:
      break;
  }
  return common::makeError("--hw " + interface +
                           ": no hardware timestamping on this interface (software only); "
                           "leave out --hw to use kernel software timestamps");
}

common::Result<void> checkLocalAddress(const common::IpAddress& address) {
  bool v6 = address.isV6();
  common::UniqueFd fd(socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return sysError("socket");
  sockaddr_storage ss;
  socklen_t len = common::SocketAddress{address, 0}.toSockaddr(ss, v6);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return common::makeError("client address " + address.toString() +
                             " is not configured on this host (" + std::strerror(errno) +
                             "): add the --source addresses to an interface first");
  }
  return {};
}

}  // namespace strata::perf
