#include "tools/strataperf/client_state.h"

#include <gtest/gtest.h>

namespace strata::perf {
namespace {

using proto::NtpHeader;
using proto::NtpTimestamp;

constexpr int64_t kBase = 1'800'000'000LL * 1'000'000'000LL;  // 2027-01-15, ns since epoch

uint64_t ntpAt(int64_t ns) { return NtpTimestamp::fromSysTime(common::sysTimeFromNanos(ns)).raw(); }

// A server reply with receive/transmit at the given times (ns since the epoch), marked with
// the RFC 9769 low bits.
NtpHeader reply(uint64_t origin, int64_t rx_ns, int64_t tx_ns) {
  NtpHeader h;
  h.mode = proto::NtpMode::kServer;
  h.stratum = 1;
  h.origin_time = NtpTimestamp::fromRaw(origin);
  h.receive_time = NtpTimestamp::fromRaw(ntpAt(rx_ns)).withLowBit(true);
  h.transmit_time = NtpTimestamp::fromRaw(ntpAt(tx_ns)).withLowBit(false);
  return h;
}

TEST(RequestFields, BasicClientSendsOnlyTheCookie) {
  RequestFields f = requestFieldsFor(ClientMode::kBasic, 999, 0x1000);
  EXPECT_EQ(f.origin, 0u);
  EXPECT_EQ(f.receive, 0u);
  EXPECT_EQ(f.transmit, 0x1000u);
}

TEST(RequestFields, InterleavedClientNamesThePreviousReceive) {
  RequestFields first = requestFieldsFor(ClientMode::kInterleaved, 0, 0x1000);
  EXPECT_EQ(first.origin, 0u);  // nothing to name yet: the server answers basic
  EXPECT_EQ(first.receive, 0x1001u);
  RequestFields next = requestFieldsFor(ClientMode::kInterleaved, 0xABC1, 0x2000);
  EXPECT_EQ(next.origin, 0xABC1u);
  EXPECT_EQ(next.receive, 0x2001u);
  EXPECT_EQ(next.transmit, 0x2000u);
}

TEST(Errors, SignsAndEraHandling) {
  // Server received 3 µs after our TX stamp: RX error +3 µs.
  EXPECT_EQ(rxErrorNs(ntpAt(kBase + 3000), kBase), 3000);
  // We received 2.5 µs after the server's transmit stamp: +2.5 µs (its stamp is early).
  EXPECT_EQ(ourMinusServerNs(kBase + 2500, ntpAt(kBase)), 2500);
  // Across the NTP era rollover (2036-02-07T06:28:16Z = 2085978496 s since 1970).
  int64_t rollover = 2'085'978'496LL * 1'000'000'000LL;
  EXPECT_EQ(ourMinusServerNs(rollover + 1000, ntpAt(rollover - 1000)), 2000);
}

TEST(ApplyReply, BasicReplyMeasuresAgainstItsOwnTransmit) {
  ClientState s;
  NtpHeader r = reply(0x1000, kBase + 1000, kBase + 5000);
  ReplyMeasurement m = applyReply(s, ReplyVerdict::kBasic, r, 0, kBase + 8000);
  ASSERT_TRUE(m.tx_error_ns.has_value());
  EXPECT_NEAR(*m.tx_error_ns, 3000, 1);
  EXPECT_FALSE(m.interleaved);
  EXPECT_EQ(s.lastServerRx(), r.receive_time.raw());
  EXPECT_EQ(s.recent[0].our_rx_ns, kBase + 8000);
}

TEST(ApplyReply, BasicReplyWithoutOurStampMeasuresNothing) {
  ClientState s;
  ReplyMeasurement m = applyReply(s, ReplyVerdict::kBasic, reply(0x1000, kBase, kBase + 10), 0, 0);
  EXPECT_FALSE(m.tx_error_ns.has_value());
  EXPECT_EQ(s.recent[0].our_rx_ns, 0);
}

// The whole RFC 9769 exchange: the server's precise TX of reply 1 arrives in reply 2 and is
// compared with our RX stamp of reply 1.
TEST(ApplyReply, InterleavedUsesThePreviousReplysReceiveStamp) {
  ClientState s;
  // Exchange 1 (basic): server rx at +1000, its estimated tx +5000; the packet really left
  // at +5400 and we received it at +9000.
  NtpHeader r1 = reply(0x1000, kBase + 1000, kBase + 5000);
  applyReply(s, ReplyVerdict::kBasic, r1, 0, kBase + 9000);
  RequestFields f2 = requestFieldsFor(ClientMode::kInterleaved, s.lastServerRx(), 0x2000);
  EXPECT_EQ(f2.origin, r1.receive_time.raw());

  // Exchange 2 (interleaved): origin echoes our receive cookie, transmit is the precise TX of
  // reply 1, receive is this exchange's.
  NtpHeader r2 = reply(f2.receive, kBase + 20000, kBase + 5400);
  ReplyMeasurement m = applyReply(s, ReplyVerdict::kInterleaved, r2, f2.origin, kBase + 30000);
  ASSERT_TRUE(m.tx_error_ns.has_value());
  EXPECT_TRUE(m.interleaved);
  EXPECT_NEAR(*m.tx_error_ns, 9000 - 5400, 1);  // not 30000 - 5400
  EXPECT_EQ(s.lastServerRx(), r2.receive_time.raw());
  EXPECT_EQ(s.recent[0].our_rx_ns, kBase + 30000);
}

TEST(ApplyReply, InterleavedReplyToAnEarlierReplyIsMeasuredAgainstThatReply) {
  ClientState s;
  applyReply(s, ReplyVerdict::kBasic, reply(0x1000, kBase + 1000, kBase + 5000), 0, kBase + 9000);
  uint64_t late_origin = s.lastServerRx();
  // Another reply arrives (to a request sent before reply 1 came back) and moves the state
  // on; the server answers the late origin with reply 1's precise transmit time.
  applyReply(s, ReplyVerdict::kBasic, reply(0x3000, kBase + 50000, kBase + 51000), 0,
             kBase + 60000);
  ReplyMeasurement m =
      applyReply(s, ReplyVerdict::kInterleaved, reply(0x2001, kBase + 70000, kBase + 5400),
                 late_origin, kBase + 80000);
  EXPECT_TRUE(m.interleaved);
  ASSERT_TRUE(m.tx_error_ns.has_value());
  EXPECT_NEAR(*m.tx_error_ns, 9000 - 5400, 1);  // against reply 1's receive stamp
}

TEST(ApplyReply, InterleavedReplyToAnOriginBeyondTheLastFourIsNotMeasured) {
  ClientState s;
  applyReply(s, ReplyVerdict::kBasic, reply(0x1000, kBase + 1000, kBase + 5000), 0, kBase + 9000);
  const uint64_t old_origin = s.lastServerRx();
  for (int i = 1; i <= 4; ++i) {
    applyReply(s, ReplyVerdict::kBasic,
               reply(0x1000 + i, kBase + 1000 + i * 10000, kBase + 5000 + i * 10000), 0,
               kBase + 9000 + i * 10000);
  }
  ReplyMeasurement m =
      applyReply(s, ReplyVerdict::kInterleaved, reply(0x2001, kBase + 70000, kBase + 5400),
                 old_origin, kBase + 80000);
  EXPECT_TRUE(m.interleaved);
  EXPECT_FALSE(m.tx_error_ns.has_value());
}

TEST(ApplyReply, InterleavedWithoutPreviousStampIsNotMeasured) {
  ClientState s;
  applyReply(s, ReplyVerdict::kBasic, reply(0x1000, kBase + 1000, kBase + 5000), 0, 0);
  ReplyMeasurement m =
      applyReply(s, ReplyVerdict::kInterleaved, reply(0x2001, kBase + 20000, kBase + 5400),
                 s.lastServerRx(), kBase + 30000);
  EXPECT_FALSE(m.tx_error_ns.has_value());
}

}  // namespace
}  // namespace strata::perf
