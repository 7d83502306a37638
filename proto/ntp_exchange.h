#pragma once
// One client/server exchange (RFC 5905 §8): checks on a reply and the offset/delay it
// yields. Pure; thread-compatible. Used by `stratactl query`, strataperf and the upstream
// NTP client.
//
//   t1 = client transmit, t2 = server receive, t3 = server transmit, t4 = client receive
//   offset = ((t2 - t1) + (t3 - t4)) / 2   (server clock minus client clock)
//   delay  = (t4 - t1) - (t3 - t2)

#include "common/ntp_time.h"
#include "proto/ntp_packet.h"

namespace strata::proto {

enum class ReplyCheck : uint8_t {
  kOk = 0,
  kNotServerMode,    // mode is not 4
  kOriginMismatch,   // origin != our request's transmit (bogus or replayed)
  kKissOfDeath,      // stratum 0: the refid holds a kiss code
  kUnsynchronized,   // leap 3 or stratum >= 16
  kZeroTimestamps,   // receive or transmit timestamp is zero
  kBadVersion,
};
const char* replyCheckName(ReplyCheck check);

// Basic-mode checks of `reply` against the transmit timestamp our request carried.
ReplyCheck checkReply(const NtpHeader& reply, NtpTimestamp request_transmit);

struct ExchangeResult {
  common::Nanos offset{0};
  common::Nanos delay{0};
};

// t1 and t4 are the client's times (e.g. kernel timestamps), t2 and t3 the server's.
ExchangeResult computeExchange(common::SysTime t1, NtpTimestamp t2, NtpTimestamp t3,
                               common::SysTime t4);

}  // namespace strata::proto
