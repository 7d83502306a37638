#include "hwts/socket_opt_id.h"

#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/unique_fd.h"
#include "hwts/cmsg_timestamps.h"
#include "hwts/errqueue_reader.h"
#include "hwts/socket_timestamping.h"

namespace strata::hwts {

namespace {

common::Error probeError(const char* what) {
  return common::makeError(std::string("OPT_ID probe: ") + what + ": " + std::strerror(errno));
}

}  // namespace

common::Result<OptIdCounting> probeOptIdCounting() {
  common::UniqueFd sink(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  common::UniqueFd sender(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!sink || !sender) return probeError("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(sink.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(sink.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return probeError("bind");
  }
  if (auto r = enableTimestamping(sender.get(), SocketTimestampingOptions{}); !r) {
    return common::makeError("OPT_ID probe: " + r.error().message);
  }
  uint8_t payload[4] = {0};
  for (int i = 0; i < 3; ++i) {
    uint8_t control[kTxControlSize];
    iovec iov{payload, sizeof payload};
    msghdr msg{};
    msg.msg_name = &addr;
    msg.msg_namelen = sizeof addr;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (i == 1) {
      msg.msg_control = control;
      msg.msg_controllen = buildTxControl(control, SOF_TIMESTAMPING_TX_SOFTWARE, std::nullopt, 0);
    }
    if (sendmsg(sender.get(), &msg, 0) < 0) return probeError("sendmsg");
  }
  for (int attempt = 0; attempt < 100; ++attempt) {
    pollfd p{sender.get(), 0, 0};
    poll(&p, 1, 10);
    ErrqueueReport r = readErrqueue(sender.get());
    if (r.kind == ErrqueueReport::Kind::kError) {
      errno = r.error;
      return probeError("recvmsg");
    }
    if (r.kind == ErrqueueReport::Kind::kTimestamp) {
      // The stamped packet was the second one sent: id 1 if every packet counts, else 0.
      return r.stamp.id == 0 ? OptIdCounting::kTimestampedOnly : OptIdCounting::kEveryPacket;
    }
  }
  return common::makeError("OPT_ID probe: no TX timestamp reported within 1 s");
}

const char* optIdCountingName(OptIdCounting counting) {
  return counting == OptIdCounting::kEveryPacket ? "every packet" : "timestamped packets only";
}

bool refusalMayUseOptId(int error) {
  switch (error) {
    case EACCES:        // broadcast destination on a socket without SO_BROADCAST
    case ENETUNREACH:   // route lookup
    case EHOSTUNREACH:
    case EINVAL:        // address checks
    case EAFNOSUPPORT:
    case EDESTADDRREQ:
      return false;
    default:
      return true;
  }
}

common::Result<void> restartOptIdNumbering(int fd) {
  uint32_t flags = 0;
  socklen_t len = sizeof flags;
  if (getsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, &len) != 0) {
    return common::makeError(std::string("SO_TIMESTAMPING (read): ") + std::strerror(errno));
  }
  if (!(flags & SOF_TIMESTAMPING_OPT_ID)) return {};  // no numbering to restart
  const uint32_t without = flags & ~static_cast<uint32_t>(SOF_TIMESTAMPING_OPT_ID);
  if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &without, sizeof without) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) != 0) {
    return common::makeError(std::string("SO_TIMESTAMPING (OPT_ID restart): ") +
                             std::strerror(errno));
  }
  return {};
}

}  // namespace strata::hwts
