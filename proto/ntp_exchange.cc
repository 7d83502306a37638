#include "proto/ntp_exchange.h"

namespace strata::proto {

const char* replyCheckName(ReplyCheck check) {
  switch (check) {
    case ReplyCheck::kOk: return "ok";
    case ReplyCheck::kNotServerMode: return "not a server reply";
    case ReplyCheck::kOriginMismatch: return "origin timestamp does not match the request";
    case ReplyCheck::kKissOfDeath: return "kiss-o'-death";
    case ReplyCheck::kUnsynchronized: return "server is not synchronised";
    case ReplyCheck::kZeroTimestamps: return "zero receive or transmit timestamp";
    case ReplyCheck::kBadVersion: return "bad version";
  }
  return "unknown";
}

ReplyCheck checkReply(const NtpHeader& reply, NtpTimestamp request_transmit) {
  if (reply.version < 1 || reply.version > 4) return ReplyCheck::kBadVersion;
  if (reply.mode != NtpMode::kServer) return ReplyCheck::kNotServerMode;
  if (reply.origin_time != request_transmit) return ReplyCheck::kOriginMismatch;
  if (reply.stratum == 0) return ReplyCheck::kKissOfDeath;
  if (reply.receive_time.isZero() || reply.transmit_time.isZero()) {
    return ReplyCheck::kZeroTimestamps;
  }
  if (reply.leap == LeapIndicator::kUnsynchronized || reply.stratum >= 16) {
    return ReplyCheck::kUnsynchronized;
  }
  return ReplyCheck::kOk;
}

ExchangeResult computeExchange(common::SysTime t1, NtpTimestamp t2, NtpTimestamp t3,
                               common::SysTime t4) {
  // Differences are taken in NTP space (era-free), the client times converted first.
  NtpTimestamp n1 = NtpTimestamp::fromSysTime(t1);
  NtpTimestamp n4 = NtpTimestamp::fromSysTime(t4);
  common::Nanos a = common::ntpDifference(t2, n1);  // t2 - t1
  common::Nanos b = common::ntpDifference(t3, n4);  // t3 - t4
  ExchangeResult r;
  r.offset = (a + b) / 2;
  r.delay = (t4 - t1) - common::ntpDifference(t3, t2);
  return r;
}

}  // namespace strata::proto
