#pragma once
// Reads one report from a socket's error queue (recvmsg MSG_ERRQUEUE | MSG_DONTWAIT): the
// socket calls behind "take the next TX timestamp" for sockets that read reports one at a
// time (the NTP client, the OPT_ID probe, the test server). The serving workers read theirs
// in recvmmsg batches (server/worker.cc). Decoding is parseTxErrqueue's (pure).
//
// Thread-compatible: it only calls recvmsg on the descriptor it is given.

#include <cstdint>

#include "hwts/cmsg_timestamps.h"

namespace strata::hwts {

struct ErrqueueReport {
  enum class Kind : uint8_t {
    kEmpty,      // nothing queued (EAGAIN)
    kTimestamp,  // a timestamping report: `stamp`
    kOther,      // a report that is no timestamp (an ICMP error with IP_RECVERR)
    kError,      // recvmsg failed otherwise: `error` is its errno
  };
  Kind kind = Kind::kEmpty;
  TxTimestamp stamp;
  int error = 0;
};

// One report from `fd`'s error queue, without blocking; EINTR is retried.
ErrqueueReport readErrqueue(int fd);

}  // namespace strata::hwts
