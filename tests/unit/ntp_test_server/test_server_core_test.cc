#include "tools/ntp-test-server/test_server_core.h"

#include <gtest/gtest.h>

#include <cmath>

#include "proto/refid.h"
#include "tools/ntp-test-server/probe.h"

namespace strata::ntptest {
namespace {

const SysTime kT0 = common::sysTimeFromNanos(int64_t{1'790'000'000} * 1'000'000'000);
constexpr Nanos kSecond{common::kNanosPerSecond};

std::array<uint8_t, 48> request(uint64_t transmit, uint64_t origin = 0, uint64_t receive = 0,
                                proto::NtpMode mode = proto::NtpMode::kClient) {
  proto::NtpHeader h;
  h.mode = mode;
  h.poll = 3;
  h.transmit_time = common::NtpTimestamp::fromRaw(transmit);
  h.origin_time = common::NtpTimestamp::fromRaw(origin);
  h.receive_time = common::NtpTimestamp::fromRaw(receive);
  std::array<uint8_t, 48> b{};
  proto::encodeHeader(h, b);
  return b;
}

proto::NtpHeader decode(const ReplyPlan& p) { return proto::decodeHeader(p.bytes); }

TEST(TimeModelTest, OffsetDriftAndStep) {
  TimeModel m;
  m.t0 = kT0;
  m.offset = Nanos(37'000'000);
  m.drift_ppm = 50;
  EXPECT_EQ(m.truth(kT0), kT0 + Nanos(37'000'000));
  EXPECT_EQ(m.truth(kT0 + 100 * kSecond), kT0 + 100 * kSecond + Nanos(37'000'000 + 5'000'000));
  m.step = Nanos(-2'000'000'000);
  m.step_after = 10 * kSecond;
  EXPECT_EQ(m.truth(kT0 + 9 * kSecond) - (kT0 + 9 * kSecond), Nanos(37'000'000 + 450'000));
  EXPECT_EQ(m.truth(kT0 + 10 * kSecond) - (kT0 + 10 * kSecond),
            Nanos(37'000'000 + 500'000 - 2'000'000'000));
}

TEST(TestServerCoreTest, BasicReplyCarriesTheModelTimeWithRfc9769LowBits) {
  TimeModel m{kT0, Nanos(5'000'000), 0};
  Behaviour b;
  b.tx_compensation = false;
  TestServerCore core(m, b, 1);
  SysTime rx = kT0 + kSecond;
  ReplyPlan p = core.answer(request(0xABCD0000), rx, rx + Nanos(7'000));
  ASSERT_TRUE(p.send);
  proto::NtpHeader h = decode(p);
  EXPECT_EQ(h.mode, proto::NtpMode::kServer);
  EXPECT_EQ(h.stratum, 1);
  EXPECT_EQ(h.reference_id, proto::refIdFromText("TEST"));
  EXPECT_EQ(h.origin_time.raw(), 0xABCD0000u);
  EXPECT_TRUE(h.receive_time.lowBit());
  EXPECT_FALSE(h.transmit_time.lowBit());
  EXPECT_NEAR(static_cast<double>((h.receive_time.toSysTime(rx) - rx).count()), 5'000'000.0, 2);
  EXPECT_NEAR(static_cast<double>((h.transmit_time.toSysTime(rx) - rx).count()), 5'007'000.0, 2);
  EXPECT_FALSE(p.interleaved);
  EXPECT_EQ(core.counters().replies, 1u);
}

TEST(TestServerCoreTest, InterleavedRequestGetsThePreciseTransmitOfThePreviousReply) {
  TimeModel m{kT0, Nanos(0), 0};
  TestServerCore core(m, Behaviour{}, 1);
  SysTime rx1 = kT0 + kSecond;
  ReplyPlan first = core.answer(request(0x1000), rx1, rx1 + Nanos(5'000));
  core.onTransmitted(first.receive_raw, rx1 + Nanos(9'000), first.noise, rx1 + Nanos(5'000));
  // Asking with the first reply's receive timestamp as origin.
  SysTime rx2 = rx1 + kSecond;
  ReplyPlan second = core.answer(request(0x2000, first.receive_raw, 0x3001), rx2, rx2);
  ASSERT_TRUE(second.interleaved);
  proto::NtpHeader h = decode(second);
  EXPECT_EQ(h.origin_time.raw(), 0x3001u);
  EXPECT_NEAR(static_cast<double>((h.transmit_time.toSysTime(rx1) - rx1).count()), 9'000.0, 2);
  // An unknown origin gets a basic reply.
  ReplyPlan third = core.answer(request(0x4000, 0x12345671, 0x5001), rx2, rx2);
  EXPECT_FALSE(third.interleaved);
  EXPECT_EQ(decode(third).origin_time.raw(), 0x4000u);
  EXPECT_EQ(core.counters().interleaved, 1u);
}

TEST(TestServerCoreTest, BasicTransmitIsCompensatedByTheMedianSendLatency) {
  TimeModel m{kT0, Nanos(0), 0};
  TestServerCore core(m, Behaviour{}, 1);
  SysTime t = kT0;
  for (int i = 0; i < 9; ++i) {
    t += kSecond;
    ReplyPlan p = core.answer(request(0x1000 + i * 16), t, t);
    core.onTransmitted(p.receive_raw, t + Nanos(i == 4 ? 500'000 : 10'000), p.noise, t);
  }
  EXPECT_EQ(core.counters().send_latency, Nanos(10'000));  // the outlier does not count
  t += kSecond;
  ReplyPlan p = core.answer(request(0x9990), t, t);
  EXPECT_NEAR(static_cast<double>((decode(p).transmit_time.toSysTime(t) - t).count()), 10'000.0, 2);
}

TEST(TestServerCoreTest, JitterIsOneErrorPerReplyOnBothTimestamps) {
  TimeModel m{kT0, Nanos(0), 0};
  Behaviour b;
  b.jitter_s = 10e-6;
  b.tx_compensation = false;
  TestServerCore core(m, b, 7);
  double sum = 0, sq = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    SysTime rx = kT0 + i * kSecond;
    ReplyPlan p = core.answer(request(0x1000 + i * 16), rx, rx);
    proto::NtpHeader h = decode(p);
    double e2 = static_cast<double>((h.receive_time.toSysTime(rx) - rx).count());
    double e3 = static_cast<double>((h.transmit_time.toSysTime(rx) - rx).count());
    EXPECT_NEAR(e2, e3, 2.0);
    EXPECT_NEAR(e2, static_cast<double>(p.noise.count()), 2.0);
    sum += e2;
    sq += e2 * e2;
  }
  EXPECT_NEAR(sum / n, 0.0, 500.0);
  EXPECT_NEAR(std::sqrt(sq / n), 10'000.0, 500.0);
}

TEST(TestServerCoreTest, LossDuplicatesAndIgnoredPackets) {
  TimeModel m{kT0, Nanos(0), 0};
  Behaviour b;
  b.loss = 0.25;
  b.duplicate = 0.5;
  TestServerCore core(m, b, 3);
  int sent = 0, twice = 0;
  for (int i = 0; i < 2000; ++i) {
    ReplyPlan p = core.answer(request(0x1000 + i * 16), kT0, kT0);
    sent += p.send;
    twice += p.twice;
  }
  EXPECT_NEAR(sent, 1500, 80);
  EXPECT_NEAR(twice, 750, 80);
  EXPECT_EQ(core.counters().lost + core.counters().replies, 2000u);
  EXPECT_FALSE(core.answer(request(1, 0, 0, proto::NtpMode::kServer), kT0, kT0).send);
  uint8_t junk[10] = {};
  EXPECT_FALSE(core.answer(junk, kT0, kT0).send);
  EXPECT_EQ(core.counters().ignored, 2u);
}

TEST(TestServerCoreTest, KissCodesEveryNthRequest) {
  TimeModel m{kT0, Nanos(0), 0};
  Behaviour b;
  b.kod = Kiss::kRate;
  b.kod_every = 3;
  TestServerCore core(m, b, 1);
  for (int i = 1; i <= 6; ++i) {
    ReplyPlan p = core.answer(request(0x1000 + i * 16), kT0, kT0);
    proto::NtpHeader h = decode(p);
    if (i % 3 == 0) {
      EXPECT_TRUE(p.kod);
      EXPECT_EQ(h.stratum, 0);
      EXPECT_EQ(h.reference_id, proto::kiss::kRate);
      EXPECT_EQ(h.poll, 4);  // the request's 3 + 1
      EXPECT_EQ(h.origin_time.raw(), static_cast<uint64_t>(0x1000 + i * 16));
    } else {
      EXPECT_FALSE(p.kod);
      EXPECT_EQ(h.stratum, 1);
    }
  }
  b.kod = Kiss::kDeny;
  b.kod_every = 1;
  TestServerCore deny(m, b, 1);
  EXPECT_EQ(decode(deny.answer(request(0x10), kT0, kT0)).reference_id, proto::kiss::kDeny);
}

TEST(TestServerCoreTest, LeapStratumAndRefidFromTheBehaviour) {
  TimeModel m{kT0, Nanos(0), 0};
  Behaviour b;
  b.leap = proto::LeapIndicator::kInsertSecond;
  b.stratum = 3;
  b.refid = 0xC0000201;
  TestServerCore core(m, b, 1);
  proto::NtpHeader h = decode(core.answer(request(0x10), kT0, kT0));
  EXPECT_EQ(h.leap, proto::LeapIndicator::kInsertSecond);
  EXPECT_EQ(h.stratum, 3);
  EXPECT_EQ(h.reference_id, 0xC0000201u);
}

TEST(ProbeTest, SummaryAndServedError) {
  ErrorSummary s = summarize({3, 1, 2, 5, 4});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_NEAR(s.rms, std::sqrt(11.0), 1e-12);
  EXPECT_EQ(summarize({}).count, 0u);
  TimeModel m{kT0, Nanos(37'000'000), 50};
  // 100 s after t0 the truth is 37 ms + 5 ms ahead; a client measured 42.000003 ms ahead.
  SysTime t = kT0 + 100 * kSecond;
  EXPECT_NEAR(servedError(m, t, Nanos(42'000'003)), 3e-9, 1e-12);
}

}  // namespace
}  // namespace strata::ntptest
