#include "refclock/ntp/source_core.h"

#include <gtest/gtest.h>

#include <cmath>

#include "proto/refid.h"
#include "tests/unit/ntp/fake_server.h"

namespace strata::refclock::ntp {
namespace {

using testing::FakeServer;
constexpr Nanos kSecond{common::kNanosPerSecond};
const SysTime kStart = common::sysTimeFromNanos(int64_t{1'750'000'000} * 1'000'000'000);

NtpSourceOptions basicOptions() {
  NtpSourceOptions o;
  o.poll.minpoll_log2 = 4;
  o.poll.maxpoll_log2 = 4;
  o.local_precision_log2 = -24;
  return o;
}

// Drives one source core against a FakeServer on a simulated timeline. Our clock is the
// test's clock; monotonic time is the same numbers.
struct Harness {
  explicit Harness(NtpSourceOptions o) : core(o) { core.start(mono(), 0.0); }

  Nanos mono() const { return now - kStart; }

  // Sends the request due now; returns it. `kernel_tx_delay`: when set, the kernel's TX
  // stamp (that much after the daemon's reading) arrives.
  RequestPlan send(std::optional<Nanos> kernel_tx_delay = Nanos(2'000)) {
    cookie += 2;
    RequestPlan plan = core.makeRequest(mono(), cookie * 0x9E3779B97F4A7C15ull,
                                        (cookie + 1) * 0xC2B2AE3D27D4EB4Full, 0.5);
    daemon_tx = now;
    core.onSent(plan.seq, daemon_tx);
    wire_tx = daemon_tx + kernel_tx_delay.value_or(Nanos(0));
    if (kernel_tx_delay) core.onTxTimestamp(plan.seq, wire_tx, StampSource::kKernel);
    last_plan = plan;
    return plan;
  }

  // The server's answer to the last request (it left the client at wire_tx).
  FakeServer::Reply answer() { return server.answer(last_plan.packet, wire_tx); }

  ResponseOutcome deliver(const FakeServer::Reply& r, const SourceView& view = {}) {
    return core.onResponse(r.bytes, r.client_rx, StampSource::kKernel, view);
  }
  ResponseOutcome deliverBytes(std::span<const uint8_t> bytes, SysTime rx,
                               const SourceView& view = {}) {
    return core.onResponse(bytes, rx, StampSource::kKernel, view);
  }

  // One full poll: send, answer, deliver; then the clock moves to the next request.
  ResponseOutcome poll(const SourceView& view = {}) {
    send();
    ResponseOutcome out = deliver(answer(), view);
    if (out.sample) core.onSampleAccepted(++accepted);
    now = kStart + core.nextRequestAt();
    return out;
  }

  NtpSourceCore core;
  FakeServer server;
  SysTime now = kStart;
  SysTime daemon_tx{};
  SysTime wire_tx{};
  RequestPlan last_plan;
  uint64_t cookie = 0;
  int accepted = 0;
};

proto::NtpHeader decode(const RequestPlan& p) { return proto::decodeHeader(p.packet); }

TEST(SourceCoreTest, RequestsRevealNothingButModeVersionPollAndCookies) {
  Harness h(basicOptions());
  RequestPlan p = h.send();
  proto::NtpHeader r = decode(p);
  EXPECT_EQ(r.mode, proto::NtpMode::kClient);
  EXPECT_EQ(r.version, 4);
  EXPECT_EQ(r.poll, 4);
  EXPECT_EQ(r.stratum, 0);
  EXPECT_EQ(r.precision, 0);
  EXPECT_EQ(r.reference_id, 0u);
  EXPECT_TRUE(r.reference_time.isZero());
  EXPECT_TRUE(r.origin_time.isZero());
  EXPECT_TRUE(r.receive_time.isZero());
  EXPECT_FALSE(r.transmit_time.isZero());
  EXPECT_FALSE(r.transmit_time.lowBit());
  // The transmit field is a cookie, not our clock.
  EXPECT_GT(
      std::abs(
          common::ntpDifference(r.transmit_time, common::NtpTimestamp::fromSysTime(h.now)).count()),
      1'000'000'000);
  EXPECT_FALSE(p.interleaved);
}

TEST(SourceCoreTest, BasicExchangeMeasuresOffsetAndDelay) {
  Harness h(basicOptions());
  h.server.offset = Nanos(37'000'000);
  h.server.one_way = Nanos(30'000);
  h.server.hold = Nanos(4'000);
  h.send(Nanos(2'000));
  FakeServer::Reply r = h.answer();
  ResponseOutcome out = h.deliver(r);
  ASSERT_EQ(out.verdict, Verdict::kGood);
  EXPECT_TRUE(out.reach);
  ASSERT_TRUE(out.sample);
  // Symmetric path, precise timestamps: the offset is exact (to NTP rounding).
  EXPECT_NEAR(static_cast<double>(out.sample->offset.count()), 37'000'000.0, 2.0);
  EXPECT_NEAR(static_cast<double>(out.sample->delay.count()), 60'000.0, 2.0);
  // Measured at the midpoint of the kernel's send time and our receive time.
  EXPECT_EQ(out.sample->local_time, h.wire_tx + (r.client_rx - h.wire_tx) / 2);
  EXPECT_EQ(out.sample->stratum, 2);
  EXPECT_EQ(out.sample->reference_id, 0xC0000201u);
  EXPECT_EQ(out.sample->root_delay, common::NtpShort::fromNanos(Nanos(1'000'000)).toNanos());
  // Dispersion: 2^-24 (server) + 2^-24 (ours) + 1 ppm x delay.
  EXPECT_NEAR(common::toSeconds(out.sample->dispersion), 2 * std::ldexp(1.0, -24) + 60e-6 * 1e-6,
              2e-9);
  const LastResponse& last = h.core.lastResponse();
  EXPECT_TRUE(last.valid);
  EXPECT_EQ(last.tests.bits(), 0x3FF);
  EXPECT_EQ(last.tx_source, StampSource::kKernel);
  EXPECT_NEAR(last.response_time_s, 4e-6, 1e-9);
}

TEST(SourceCoreTest, WithoutAKernelTxStampTheDaemonReadingIsUsed) {
  Harness h(basicOptions());
  h.server.one_way = Nanos(30'000);
  h.send(std::nullopt);
  ResponseOutcome out = h.deliver(h.answer());
  ASSERT_TRUE(out.sample);
  EXPECT_EQ(h.core.lastResponse().tx_source, StampSource::kDaemon);
  EXPECT_EQ(h.core.totals().kernel_tx, 0u);
}

TEST(SourceCoreTest, BasicModeIsBiasedByALateServerTransmitStampInterleavedIsNot) {
  NtpSourceOptions o = basicOptions();
  o.xleave = true;
  Harness h(o);
  h.server.offset = Nanos(-5'000'000);
  h.server.early = Nanos(8'000);  // the server's basic T3 is read 8 us before it really sends
  ResponseOutcome first = h.poll();
  ASSERT_TRUE(first.sample);
  // Basic: T3 is 8 us early, so the server looks 4 us behind.
  EXPECT_NEAR(static_cast<double>(first.sample->offset.count()), -5'004'000.0, 2.0);
  EXPECT_FALSE(h.core.lastResponse().interleaved);

  // Second request: interleaved, naming the server's receive timestamp of the first.
  RequestPlan p = h.send();
  proto::NtpHeader req = decode(p);
  EXPECT_TRUE(p.interleaved);
  EXPECT_EQ(req.origin_time, h.core.lastResponse().header.receive_time);
  EXPECT_TRUE(req.receive_time.lowBit());
  EXPECT_NE(req.receive_time, req.transmit_time);
  ResponseOutcome second = h.deliver(h.answer());
  // It completes the first exchange, which was measured already: no second sample of it.
  EXPECT_EQ(second.verdict, Verdict::kGood);
  EXPECT_TRUE(second.reach);
  EXPECT_FALSE(second.sample);
  EXPECT_TRUE(h.core.lastResponse().interleaved);
  h.now = kStart + h.core.nextRequestAt();

  // From now on every answer measures the previous exchange with the precise T3: exact.
  SysTime second_tx = h.wire_tx;
  (void)second_tx;
  for (int i = 0; i < 3; ++i) {
    ResponseOutcome out = h.poll();
    ASSERT_TRUE(out.sample) << i;
    EXPECT_NEAR(static_cast<double>(out.sample->offset.count()), -5'000'000.0, 2.0) << i;
    EXPECT_TRUE(h.core.lastResponse().interleaved);
    EXPECT_TRUE(h.core.interleavedActive());
  }
}

TEST(SourceCoreTest, InterleavedSampleIsTimedAtThePreviousExchange) {
  NtpSourceOptions o = basicOptions();
  o.xleave = true;
  Harness h(o);
  h.poll();
  h.send();
  SysTime exchange2_tx = h.wire_tx;
  FakeServer::Reply r2 = h.answer();
  h.deliver(r2);
  h.now = kStart + h.core.nextRequestAt();
  ResponseOutcome out = h.poll();  // answer 3 completes exchange 2
  ASSERT_TRUE(out.sample);
  EXPECT_EQ(out.sample->local_time, exchange2_tx + (r2.client_rx - exchange2_tx) / 2);
}

TEST(SourceCoreTest, ServerWithoutInterleavedStateKeepsBasicMeasurements) {
  NtpSourceOptions o = basicOptions();
  o.xleave = true;
  Harness h(o);
  h.server.interleaved = false;
  for (int i = 0; i < 4; ++i) {
    ResponseOutcome out = h.poll();
    ASSERT_TRUE(out.sample) << i;
    EXPECT_FALSE(h.core.lastResponse().interleaved);
  }
  EXPECT_TRUE(h.last_plan.interleaved);  // it keeps asking
}

TEST(SourceCoreTest, InterleavedAnswerWithImpossibleHoldIsRejected) {
  NtpSourceOptions o = basicOptions();
  o.xleave = true;
  Harness h(o);
  h.poll();
  RequestPlan p = h.send();
  FakeServer::Reply r = h.answer();
  ASSERT_EQ(r.header.origin_time, decode(p).receive_time);
  // A precise T3 before the T2 it belongs to.
  r.header.transmit_time = common::NtpTimestamp::fromRaw(
      h.core.lastResponse().header.receive_time.raw() - (uint64_t{1} << 20));
  proto::encodeHeader(r.header, r.bytes);
  ResponseOutcome out = h.deliver(r);
  EXPECT_EQ(out.verdict, Verdict::kBadInterleaved);
  EXPECT_TRUE(out.reach);  // the server answered validly
  EXPECT_FALSE(out.sample);
}

TEST(SourceCoreTest, OriginMismatchDuplicatesAndLateAnswers) {
  Harness h(basicOptions());
  // Nothing sent yet: an answer to someone else's request.
  std::array<uint8_t, proto::kNtpHeaderSize> other{};
  proto::NtpHeader q;
  q.transmit_time = common::NtpTimestamp::fromRaw(0x1234);
  proto::encodeHeader(q, other);
  FakeServer::Reply stray = h.server.answer(other, h.now);
  EXPECT_EQ(h.deliver(stray).verdict, Verdict::kUnsolicited);

  h.send();
  FakeServer::Reply good = h.answer();
  FakeServer::Reply forged = good;
  forged.header.origin_time = common::NtpTimestamp::fromRaw(good.header.origin_time.raw() ^ 4);
  proto::encodeHeader(forged.header, forged.bytes);
  ResponseOutcome bogus = h.deliver(forged);
  EXPECT_EQ(bogus.verdict, Verdict::kBogus);
  EXPECT_FALSE(bogus.reach);
  EXPECT_FALSE(bogus.sample);
  EXPECT_EQ(h.core.lastResponse().valid, false);  // not even recorded

  EXPECT_EQ(h.deliver(good).verdict, Verdict::kGood);
  // The same packet again (a replay): test 1.
  EXPECT_EQ(h.deliver(good).verdict, Verdict::kDuplicate);
  // Another answer to the answered request with a new transmit time: still a duplicate.
  FakeServer::Reply again = good;
  again.header.transmit_time = common::NtpTimestamp::fromRaw(good.header.transmit_time.raw() + 8);
  proto::encodeHeader(again.header, again.bytes);
  EXPECT_EQ(h.deliver(again).verdict, Verdict::kDuplicate);

  // A new request; an answer to the previous one now is late.
  h.now += kSecond;
  h.send();
  FakeServer::Reply late = good;
  late.header.transmit_time = common::NtpTimestamp::fromRaw(good.header.transmit_time.raw() + 16);
  proto::encodeHeader(late.header, late.bytes);
  EXPECT_EQ(h.deliver(late).verdict, Verdict::kLate);
  EXPECT_EQ(h.core.verdicts()[static_cast<size_t>(Verdict::kDuplicate)], 2u);
  EXPECT_EQ(h.core.verdicts()[static_cast<size_t>(Verdict::kBogus)], 1u);
  EXPECT_EQ(h.core.verdicts()[static_cast<size_t>(Verdict::kLate)], 1u);
  EXPECT_EQ(h.core.verdicts()[static_cast<size_t>(Verdict::kUnsolicited)], 1u);
}

TEST(SourceCoreTest, MalformedWrongModeAndVersion) {
  Harness h(basicOptions());
  h.send();
  FakeServer::Reply r = h.answer();
  EXPECT_EQ(h.deliverBytes(std::span<const uint8_t>(r.bytes).first(47), r.client_rx).verdict,
            Verdict::kMalformed);
  EXPECT_EQ(h.deliverBytes({}, r.client_rx).verdict, Verdict::kMalformed);
  FakeServer::Reply m = r;
  m.header.mode = proto::NtpMode::kClient;
  proto::encodeHeader(m.header, m.bytes);
  EXPECT_EQ(h.deliver(m).verdict, Verdict::kNotServerMode);
  m = r;
  m.header.mode = proto::NtpMode::kBroadcast;
  proto::encodeHeader(m.header, m.bytes);
  EXPECT_EQ(h.deliver(m).verdict, Verdict::kNotServerMode);
  m = r;
  m.bytes[0] = static_cast<uint8_t>((m.bytes[0] & 0xC7) | (5 << 3));  // version 5
  EXPECT_EQ(h.deliver(m).verdict, Verdict::kBadVersion);
  m.bytes[0] = static_cast<uint8_t>(m.bytes[0] & 0xC7);  // version 0
  EXPECT_EQ(h.deliver(m).verdict, Verdict::kBadVersion);
  // None of it disturbed the request: the real answer is still good.
  EXPECT_EQ(h.deliver(r).verdict, Verdict::kGood);
}

TEST(SourceCoreTest, ZeroTimestampsUnsynchronisedAndBadHeaders) {
  Harness h(basicOptions());
  auto tamper = [&](auto fn) {
    h.now += kSecond;
    h.send();
    FakeServer::Reply r = h.answer();
    fn(r.header);
    proto::encodeHeader(r.header, r.bytes);
    return h.deliver(r);
  };
  ResponseOutcome z = tamper([](proto::NtpHeader& x) { x.receive_time = {}; });
  EXPECT_EQ(z.verdict, Verdict::kZeroTimestamps);
  EXPECT_FALSE(z.reach);
  EXPECT_FALSE(h.core.lastResponse().tests.timestamps_ok);
  z = tamper([](proto::NtpHeader& x) { x.transmit_time = {}; });
  EXPECT_EQ(z.verdict, Verdict::kZeroTimestamps);
  ResponseOutcome u =
      tamper([](proto::NtpHeader& x) { x.leap = proto::LeapIndicator::kUnsynchronized; });
  EXPECT_EQ(u.verdict, Verdict::kUnsynchronised);
  EXPECT_FALSE(u.reach);
  EXPECT_FALSE(u.sample);
  // Test 6 failed; test D ran, the delay tests A-C were not reached.
  EXPECT_EQ(h.core.lastResponse().tests.bits(), 0b1111010001);
  u = tamper([](proto::NtpHeader& x) { x.stratum = 16; });
  EXPECT_EQ(u.verdict, Verdict::kUnsynchronised);
  ResponseOutcome b = tamper([](proto::NtpHeader& x) {
    x.root_dispersion = common::NtpShort::fromNanos(Nanos(16) * kSecond.count());
  });
  EXPECT_EQ(b.verdict, Verdict::kBadHeader);
  EXPECT_FALSE(b.reach);
  b = tamper([](proto::NtpHeader& x) {
    x.reference_time = common::NtpTimestamp::fromRaw(x.transmit_time.raw() + (uint64_t{1} << 32));
  });
  EXPECT_EQ(b.verdict, Verdict::kBadHeader);
  // A leap announcement is passed on, not rejected.
  ResponseOutcome l =
      tamper([](proto::NtpHeader& x) { x.leap = proto::LeapIndicator::kInsertSecond; });
  ASSERT_TRUE(l.sample);
  EXPECT_EQ(l.sample->leap, proto::LeapIndicator::kInsertSecond);
}

proto::NtpHeader kod(const FakeServer::Reply& r, uint32_t code, int8_t poll) {
  proto::NtpHeader k = r.header;
  k.stratum = 0;
  k.reference_id = code;
  k.poll = poll;
  k.receive_time = {};
  k.transmit_time = {};
  return k;
}

TEST(SourceCoreTest, KissOfDeathRateSlowsDownDenyStops) {
  NtpSourceOptions o = basicOptions();
  o.poll.maxpoll_log2 = 10;
  Harness h(o);
  h.send();
  FakeServer::Reply r = h.answer();
  // A spoofed RATE (wrong origin) is bogus and changes nothing.
  proto::NtpHeader spoof = kod(r, proto::kiss::kRate, 9);
  spoof.origin_time = common::NtpTimestamp::fromRaw(12345);
  proto::encodeHeader(spoof, r.bytes);
  ResponseOutcome s = h.deliver(r);
  EXPECT_EQ(s.verdict, Verdict::kBogus);
  EXPECT_EQ(h.core.poll(), 4);
  // The real one slows us down.
  proto::encodeHeader(kod(r, proto::kiss::kRate, 6), r.bytes);
  ResponseOutcome rate = h.deliver(r);
  EXPECT_EQ(rate.verdict, Verdict::kKodRate);
  EXPECT_TRUE(rate.poll_changed);
  EXPECT_FALSE(rate.reach);
  EXPECT_EQ(h.core.poll(), 6);
  EXPECT_FALSE(h.core.lastResponse().tests.sync_ok);
  // A flood of copies of it changes nothing more.
  for (int i = 0; i < 100; ++i) EXPECT_EQ(h.deliver(r).verdict, Verdict::kDuplicate);
  EXPECT_EQ(h.core.poll(), 6);

  // The next request is counted unanswered (reach 0).
  h.now = kStart + h.core.nextRequestAt();
  RequestPlan p = h.send();
  EXPECT_TRUE(p.previous_unanswered);
  r = h.answer();
  proto::encodeHeader(kod(r, proto::kiss::kInit, 0), r.bytes);
  EXPECT_EQ(h.deliver(r).verdict, Verdict::kKodOther);
  EXPECT_FALSE(h.core.stopped());

  h.now = kStart + h.core.nextRequestAt();
  h.send();
  r = h.answer();
  proto::encodeHeader(kod(r, proto::kiss::kDeny, 0), r.bytes);
  ResponseOutcome deny = h.deliver(r);
  EXPECT_EQ(deny.verdict, Verdict::kKodDeny);
  EXPECT_TRUE(deny.stopped);
  EXPECT_TRUE(h.core.stopped());

  Harness g(basicOptions());
  g.send();
  r = g.answer();
  proto::encodeHeader(kod(r, proto::kiss::kRstr, 0), r.bytes);
  EXPECT_EQ(g.deliver(r).verdict, Verdict::kKodRstr);
  EXPECT_TRUE(g.core.stopped());
}

TEST(SourceCoreTest, ReachIsOneBitPerRequest) {
  Harness h(basicOptions());
  RequestPlan p = h.send();
  EXPECT_FALSE(p.previous_unanswered);  // nothing before it
  h.now += kSecond;
  p = h.send();  // the first got no answer
  EXPECT_TRUE(p.previous_unanswered);
  EXPECT_EQ(h.core.unansweredRun(), 1);
  EXPECT_TRUE(h.deliver(h.answer()).reach);
  h.now += kSecond;
  p = h.send();
  EXPECT_FALSE(p.previous_unanswered);
  EXPECT_EQ(h.core.unansweredRun(), 0);
  // A failed send is a missed poll too.
  h.now += kSecond;
  RequestPlan q = h.core.makeRequest(h.mono(), 1, 2, 0.5);
  h.core.onSendFailed(q.seq);
  h.now += kSecond;
  p = h.core.makeRequest(h.mono(), 3, 4, 0.5);
  EXPECT_TRUE(p.previous_unanswered);
  EXPECT_EQ(h.core.totals().tx_failed, 1u);
}

TEST(SourceCoreTest, MaxDelayTestA) {
  NtpSourceOptions o = basicOptions();
  o.max_delay = Nanos(50'000);
  Harness h(o);
  h.server.one_way = Nanos(30'000);  // 60 us round trip
  ResponseOutcome out = h.poll();
  EXPECT_EQ(out.verdict, Verdict::kMaxDelay);
  EXPECT_TRUE(out.reach);
  EXPECT_FALSE(out.sample);
  EXPECT_EQ(h.core.lastResponse().tests.bits(), 0b1111110111);
  h.server.one_way = Nanos(20'000);
  EXPECT_EQ(h.poll().verdict, Verdict::kGood);
}

TEST(SourceCoreTest, MaxDelayRatioTestB) {
  NtpSourceOptions o = basicOptions();
  o.max_delay_ratio = 2.0;
  o.max_delay_dev_ratio = 0;  // test C off
  Harness h(o);
  SourceView view;
  view.samples = 5;
  view.min_delay = Nanos(20'000);
  h.server.one_way = Nanos(25'000);  // 50 us: ratio 2.5
  EXPECT_EQ(h.poll(view).verdict, Verdict::kMaxDelayRatio);
  h.server.one_way = Nanos(15'000);  // 30 us: ratio 1.5
  EXPECT_EQ(h.poll(view).verdict, Verdict::kGood);
}

TEST(SourceCoreTest, MaxDelayDevRatioTestC) {
  Harness h(basicOptions());  // maxdelaydevratio 10
  SourceView view;
  view.samples = 10;
  view.min_delay = Nanos(40'000);
  view.std_dev_s = 1e-6;             // allowed increase: 10 us
  view.elapsed_s = 1;                // + 1 s x (skew 0 + 1 ppm) = 11 us
  h.server.one_way = Nanos(35'000);  // 70 us: increase (70-40)/2 = 15 us > 11 us
  ResponseOutcome out = h.poll(view);
  EXPECT_EQ(out.verdict, Verdict::kMaxDelayDevRatio);
  EXPECT_TRUE(out.reach);
  h.server.one_way = Nanos(30'000);  // increase 10 us: fine
  EXPECT_EQ(h.poll(view).verdict, Verdict::kGood);
  // A big delay together with an offset far from the prediction (the source moved) passes.
  h.server.one_way = Nanos(35'000);
  h.server.offset = Nanos(100'000);
  EXPECT_EQ(h.poll(view).verdict, Verdict::kGood);
  // With the offset where the statistics predict it, it does not.
  view.predicted_residual_s = 100e-6;
  EXPECT_EQ(h.poll(view).verdict, Verdict::kMaxDelayDevRatio);
  // Time since the last point widens the allowance.
  view.elapsed_s = 10;
  EXPECT_EQ(h.poll(view).verdict, Verdict::kGood);
}

TEST(SourceCoreTest, SyncLoopTestD) {
  Harness h(basicOptions());
  const uint32_t us = proto::refIdFromAddress(common::IpAddress::v4(0x7F000001));
  h.core.setLocalRefid(us);
  h.server.refid = us;
  h.server.stratum = 3;
  ResponseOutcome out = h.poll();
  EXPECT_EQ(out.verdict, Verdict::kSyncLoop);
  EXPECT_FALSE(h.core.lastResponse().tests.loop_ok);
  // A stratum-1 server's refid is a text code, never our address.
  h.server.stratum = 1;
  EXPECT_EQ(h.poll().verdict, Verdict::kGood);
}

TEST(SourceCoreTest, NegativeDelayBeyondAnyTimestampErrorIsRejected) {
  Harness h(basicOptions());
  h.send();
  FakeServer::Reply r = h.answer();
  // The server claims it held the request 10 ms while the round trip took 45 us.
  r.header.transmit_time =
      common::NtpTimestamp::fromRaw(r.header.transmit_time.raw() + (uint64_t{1} << 32) / 100);
  proto::encodeHeader(r.header, r.bytes);
  EXPECT_EQ(h.deliver(r).verdict, Verdict::kBadDelay);
}

TEST(SourceCoreTest, SmallNegativeDelayIsClampedToZero) {
  Harness h(basicOptions());
  h.server.one_way = Nanos(1'000);
  h.server.early = Nanos(-10'000);  // T3 10 us after the real send: T3 - T2 = 12 us
  h.server.hold = Nanos(2'000);     // while the round trip took 4 us: delay -8 us
  ResponseOutcome out = h.poll();
  ASSERT_TRUE(out.sample);
  EXPECT_EQ(out.sample->delay, Nanos(0));
}

TEST(SourceCoreTest, FilterAveragesTheShortestDelaysOfNSamples) {
  NtpSourceOptions o = basicOptions();
  o.filter_samples = 3;
  Harness h(o);
  h.server.offset = Nanos(1'000'000);
  h.server.one_way = Nanos(50'000);
  EXPECT_EQ(h.poll().verdict, Verdict::kFiltered);
  h.server.one_way = Nanos(10'000);
  EXPECT_EQ(h.poll().verdict, Verdict::kFiltered);
  h.server.one_way = Nanos(90'000);
  ResponseOutcome out = h.poll();
  ASSERT_EQ(out.verdict, Verdict::kGood);
  ASSERT_TRUE(out.sample);
  // ceil(0.6 x 3) = 2 kept: delays 20 us and 100 us; the delay reported is the shortest.
  EXPECT_EQ(out.sample->delay, Nanos(20'000));
  EXPECT_NEAR(static_cast<double>(out.sample->offset.count()), 1'000'000.0, 2.0);
  EXPECT_EQ(h.poll().verdict, Verdict::kFiltered);  // a new window starts
}

TEST(SourceCoreTest, MinStratumRaisesTheSampleStratum) {
  NtpSourceOptions o = basicOptions();
  o.min_stratum = 5;
  Harness h(o);
  ResponseOutcome out = h.poll();
  ASSERT_TRUE(out.sample);
  EXPECT_EQ(out.sample->stratum, 5);
}

TEST(SourceCoreTest, VersionThreeRequestsNeverAskForInterleavedMode) {
  NtpSourceOptions o = basicOptions();
  o.version = 3;
  o.xleave = true;
  Harness h(o);
  h.poll();
  RequestPlan p = h.send();
  EXPECT_EQ(decode(p).version, 3);
  EXPECT_FALSE(p.interleaved);
  EXPECT_TRUE(decode(p).origin_time.isZero());
}

TEST(SourceCoreTest, TotalsCountEverything) {
  Harness h(basicOptions());
  for (int i = 0; i < 3; ++i) h.poll();
  h.send();
  FakeServer::Reply r = h.answer();
  r.header.leap = proto::LeapIndicator::kUnsynchronized;
  proto::encodeHeader(r.header, r.bytes);
  h.deliver(r);
  const SourceTotals& t = h.core.totals();
  EXPECT_EQ(t.tx, 4u);
  EXPECT_EQ(t.rx, 4u);
  EXPECT_EQ(t.valid_rx, 4u);
  EXPECT_EQ(t.good_rx, 3u);
  EXPECT_EQ(t.kernel_tx, 4u);
  EXPECT_EQ(t.kernel_rx, 4u);
}

}  // namespace
}  // namespace strata::refclock::ntp
