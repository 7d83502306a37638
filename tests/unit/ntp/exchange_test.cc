#include "refclock/ntp/exchange.h"

#include <gtest/gtest.h>

namespace strata::refclock::ntp {
namespace {

const SysTime kT = common::sysTimeFromNanos(int64_t{1'700'000'000} * 1'000'000'000);

ExchangeBasis basis() {
  ExchangeBasis b;
  b.valid = true;
  b.seq = 7;
  b.server_rx = NtpTimestamp::fromSysTime(kT + common::Nanos(50'000)).withLowBit(true);
  b.our_tx = kT;
  b.tx_source = StampSource::kKernel;
  b.our_rx = kT + common::Nanos(100'000);
  b.rx_source = StampSource::kKernel;
  return b;
}

TEST(ExchangeTest, BasicRequestCarriesOnlyACookie) {
  SentRequest r = makeRequestFields(1, /*want_interleaved=*/true, ExchangeBasis{}, 0x1235, 0x9998);
  EXPECT_FALSE(r.interleaved);  // no basis yet
  EXPECT_EQ(r.transmit.raw(), 0x1234u);
  EXPECT_TRUE(r.origin.isZero());
  EXPECT_TRUE(r.receive.isZero());
  // A zero cookie would look like "no timestamp": it is replaced.
  EXPECT_FALSE(makeRequestFields(2, false, {}, 0, 0).transmit.isZero());
  EXPECT_FALSE(makeRequestFields(2, false, {}, 1, 0).transmit.isZero());
}

TEST(ExchangeTest, InterleavedRequestNamesTheBasis) {
  ExchangeBasis b = basis();
  SentRequest r = makeRequestFields(8, true, b, 0x1000, 0x1000);
  EXPECT_TRUE(r.interleaved);
  EXPECT_EQ(r.origin, b.server_rx);
  EXPECT_TRUE(r.receive.lowBit());
  EXPECT_FALSE(r.transmit.lowBit());
  EXPECT_NE(r.receive, r.transmit);  // even from equal random numbers
  EXPECT_FALSE(makeRequestFields(8, false, b, 1, 2).interleaved);
}

TEST(ExchangeTest, OriginMatching) {
  SentRequest r = makeRequestFields(8, true, basis(), 0x1000, 0x2000);
  proto::NtpHeader h;
  h.origin_time = r.transmit;
  EXPECT_EQ(matchOrigin(h, r), OriginMatch::kBasic);
  h.origin_time = r.receive;
  EXPECT_EQ(matchOrigin(h, r), OriginMatch::kInterleaved);
  h.origin_time = r.origin;
  EXPECT_EQ(matchOrigin(h, r), OriginMatch::kNone);
  SentRequest basic = makeRequestFields(9, false, basis(), 0x1000, 0x2000);
  h.origin_time = basic.receive;  // zero: a basic request has no receive cookie
  EXPECT_EQ(matchOrigin(h, basic), OriginMatch::kNone);
}

TEST(ExchangeTest, InterleavedMeasurementUsesTheBasisAndThePreciseTransmit) {
  SentRequest r = makeRequestFields(8, true, basis(), 0x1000, 0x2000);
  r.daemon_tx = kT + common::Nanos(1'000'000'000);
  r.sent = true;
  proto::NtpHeader h;
  h.origin_time = r.receive;
  h.receive_time = NtpTimestamp::fromSysTime(r.daemon_tx + common::Nanos(50'000));
  h.transmit_time = NtpTimestamp::fromSysTime(kT + common::Nanos(53'000));  // precise T3 of #7
  auto e = measuredExchange(OriginMatch::kInterleaved, h, r, kT + common::Nanos(1'000'100'000),
                            StampSource::kKernel);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->interleaved);
  EXPECT_EQ(e->t1, kT);
  EXPECT_EQ(e->t2, basis().server_rx);
  EXPECT_EQ(e->t3, h.transmit_time);
  EXPECT_EQ(e->t4, kT + common::Nanos(100'000));
  // The next basis is this exchange.
  ExchangeBasis n = nextBasis(h, r, kT + common::Nanos(1'000'100'000), StampSource::kKernel);
  EXPECT_EQ(n.seq, 8u);
  EXPECT_EQ(n.server_rx, h.receive_time);
  EXPECT_EQ(n.our_tx, r.daemon_tx);
  EXPECT_EQ(n.tx_source, StampSource::kDaemon);
  // A "precise" T3 more than a second after its T2 is not believed.
  h.transmit_time = NtpTimestamp::fromSysTime(kT + common::Nanos(1'100'000'000));
  EXPECT_FALSE(measuredExchange(OriginMatch::kInterleaved, h, r, kT, StampSource::kKernel));
}

TEST(ExchangeTest, BasicMeasurementPrefersThePreciseTransmitTime) {
  SentRequest r = makeRequestFields(1, false, {}, 0x1000, 0);
  r.daemon_tx = kT;
  r.sent = true;
  proto::NtpHeader h;
  h.origin_time = r.transmit;
  auto e =
      measuredExchange(OriginMatch::kBasic, h, r, kT + common::Nanos(90'000), StampSource::kDaemon);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->t1, kT);
  EXPECT_EQ(e->tx_source, StampSource::kDaemon);
  r.precise_tx = kT + common::Nanos(3'000);
  r.precise_source = StampSource::kKernel;
  e = measuredExchange(OriginMatch::kBasic, h, r, kT, StampSource::kDaemon);
  EXPECT_EQ(e->t1, kT + common::Nanos(3'000));
  EXPECT_EQ(e->tx_source, StampSource::kKernel);
  EXPECT_FALSE(measuredExchange(OriginMatch::kNone, h, r, kT, StampSource::kDaemon));
}

}  // namespace
}  // namespace strata::refclock::ntp
