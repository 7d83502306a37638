#pragma once
// Kernel software RX timestamps need a static key that the kernel turns on in deferred work
// when the first socket asks for timestamps: on an otherwise idle machine (a fresh CI VM) the
// first datagrams after that can arrive unstamped (and closing the last such socket turns it
// off again, also deferred). Tests that assert kernel stamps hold a KernelRxTimestampsOn for
// their duration: it opens a timestamping socket pair, exchanges datagrams on loopback until
// one arrives stamped (bounded: about one second), and keeps the sockets open until destroyed.
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/unique_fd.h"

namespace strata::testing_support {

class KernelRxTimestampsOn {
 public:
  KernelRxTimestampsOn()
      : rx_(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)),
        tx_(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    stamped_ = exchange(rx_.get(), tx_.get());
  }
  KernelRxTimestampsOn(const KernelRxTimestampsOn&) = delete;
  KernelRxTimestampsOn& operator=(const KernelRxTimestampsOn&) = delete;
  // A datagram arrived with a kernel RX timestamp.
  bool on() const { return stamped_; }

 private:
  static bool exchange(int rx, int tx) {
    bool stamped = false;
    int flags = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (rx >= 0 && tx >= 0 &&
        setsockopt(rx, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) == 0 &&
        bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        getsockname(rx, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
      for (int i = 0; i < 100 && !stamped; ++i) {
        char byte = 0;
        sendto(tx, &byte, 1, 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
        pollfd p{rx, POLLIN, 0};
        if (poll(&p, 1, 100) != 1) continue;
        alignas(cmsghdr) char control[256];
        iovec iov{&byte, 1};
        msghdr m{};
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        if (recvmsg(rx, &m, 0) < 0) continue;
        for (cmsghdr* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
          if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPING) stamped = true;
        }
        if (!stamped) usleep(10000);
      }
    }
    return stamped;
  }

  common::UniqueFd rx_, tx_;  // kept open: closing the last one turns stamping off
  bool stamped_ = false;
};

}  // namespace strata::testing_support
