#include "hwts/errqueue_reader.h"

#include <sys/socket.h>

#include <cerrno>

namespace strata::hwts {

ErrqueueReport readErrqueue(int fd) {
  alignas(cmsghdr) uint8_t control[kRxControlSize];
  uint8_t data[64];  // with OPT_TSONLY no payload comes back; without it, a truncated copy
  for (;;) {
    iovec iov{data, sizeof data};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    if (::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
      if (errno == EINTR) continue;
      ErrqueueReport r;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        r.kind = ErrqueueReport::Kind::kError;
        r.error = errno;
      }
      return r;
    }
    ErrqueueReport r;
    if (auto ts = parseTxErrqueue(msg)) {
      r.kind = ErrqueueReport::Kind::kTimestamp;
      r.stamp = *ts;
    } else {
      r.kind = ErrqueueReport::Kind::kOther;
    }
    return r;
  }
}

}  // namespace strata::hwts
