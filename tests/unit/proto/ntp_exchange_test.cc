#include "proto/ntp_exchange.h"

#include <gtest/gtest.h>

namespace strata::proto {
namespace {

using common::Nanos;
using common::SysTime;

const SysTime kT = common::sysTimeFromNanos(1'800'000'000'000'000'000);

TEST(Exchange, OffsetAndDelay) {
  // Server 5 ms ahead; 100 µs each way; server holds the request for 20 µs.
  SysTime t1 = kT;
  NtpTimestamp t2 = NtpTimestamp::fromSysTime(kT + Nanos(5'000'000 + 100'000));
  NtpTimestamp t3 = NtpTimestamp::fromSysTime(kT + Nanos(5'000'000 + 120'000));
  SysTime t4 = kT + Nanos(220'000);
  ExchangeResult r = computeExchange(t1, t2, t3, t4);
  EXPECT_NEAR(r.offset.count(), 5'000'000, 1);
  EXPECT_NEAR(r.delay.count(), 200'000, 1);
}

TEST(Exchange, AcrossTheEraRollover) {
  SysTime rollover = common::sysTimeFromNanos(2085978496LL * 1'000'000'000);
  SysTime t1 = rollover - Nanos(50'000);
  NtpTimestamp t2 = NtpTimestamp::fromSysTime(rollover - Nanos(10'000));
  NtpTimestamp t3 = NtpTimestamp::fromSysTime(rollover + Nanos(10'000));
  SysTime t4 = rollover + Nanos(50'000);
  ExchangeResult r = computeExchange(t1, t2, t3, t4);
  EXPECT_NEAR(r.offset.count(), 0, 1);
  EXPECT_NEAR(r.delay.count(), 80'000, 1);
}

TEST(Exchange, ChecksReplies) {
  NtpTimestamp req = NtpTimestamp::fromParts(7, 7);
  NtpHeader h;
  h.mode = NtpMode::kServer;
  h.stratum = 2;
  h.origin_time = req;
  h.receive_time = NtpTimestamp::fromParts(8, 0);
  h.transmit_time = NtpTimestamp::fromParts(8, 1);
  EXPECT_EQ(checkReply(h, req), ReplyCheck::kOk);
  EXPECT_EQ(checkReply(h, NtpTimestamp::fromParts(7, 8)), ReplyCheck::kOriginMismatch);
  NtpHeader kod = h;
  kod.stratum = 0;
  EXPECT_EQ(checkReply(kod, req), ReplyCheck::kKissOfDeath);
  NtpHeader unsync = h;
  unsync.leap = LeapIndicator::kUnsynchronized;
  EXPECT_EQ(checkReply(unsync, req), ReplyCheck::kUnsynchronized);
  NtpHeader zero = h;
  zero.transmit_time = NtpTimestamp();
  EXPECT_EQ(checkReply(zero, req), ReplyCheck::kZeroTimestamps);
  NtpHeader client = h;
  client.mode = NtpMode::kClient;
  EXPECT_EQ(checkReply(client, req), ReplyCheck::kNotServerMode);
}

}  // namespace
}  // namespace strata::proto
