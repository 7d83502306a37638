#include "server/request_handler.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "proto/refid.h"

namespace strata::server {
namespace {

using common::Nanos;
using common::SysTime;
using proto::NtpHeader;
using proto::NtpMode;
using proto::NtpTimestamp;

const SysTime kT0 = common::sysTimeFromNanos(1'790'000'000'000'000'000);

proto::ServerState syncedState() {
  proto::ServerState s;
  s.leap = proto::LeapIndicator::kNone;
  s.stratum = 2;
  s.precision = -23;
  s.reference_id = 0xC0000201;
  s.reference_time = NtpTimestamp::fromSysTime(kT0 - Nanos(10'000'000'000));
  s.root_delay = common::NtpShort::fromNanos(Nanos(1'000'000));
  s.root_dispersion = common::NtpShort::fromNanos(Nanos(2'000'000));
  s.dispersion_rate = 1e-5;
  return s;
}

struct Fixture : ::testing::Test {
  proto::ServerState state = syncedState();
  RateLimitParams rate;
  FastRandom random{1};
  ClientLog log{4096, 1};
  HeldTimestamps* held = nullptr;  // earlier pairs of interleaved clients (none by default)
  common::IpAddress client = *common::IpAddress::parse("192.0.2.9");
  std::array<uint8_t, 128> buf{};
  size_t len = 48;

  void request(const NtpHeader& h, size_t extra = 0) {
    buf.fill(0);
    proto::encodeHeader(h, std::span<uint8_t, 48>(buf.data(), 48));
    len = 48 + extra;
  }
  ServeDecision serve(SysTime rx) {
    proto::ParsedPacket parsed;
    DropReason reason;
    if (!parseRequest(std::span<const uint8_t>(buf.data(), len), parsed, reason)) {
      ServeDecision d;
      d.reason = reason;
      return d;
    }
    auto touch = log.touch(client, rx);
    return serveRequest(buf, parsed, rx, touch, ServeContext{state, rate, random, held});
  }
  NtpHeader reply() const { return proto::decodeHeader(std::span<const uint8_t, 48>(buf.data(), 48)); }
};

NtpHeader clientRequest(NtpTimestamp transmit) {
  NtpHeader h;
  h.version = 4;
  h.mode = NtpMode::kClient;
  h.poll = 6;
  h.transmit_time = transmit;
  return h;
}

TEST_F(Fixture, BasicReplyFollowsRfc5905) {
  NtpTimestamp client_tx = NtpTimestamp::fromParts(123, 456);
  request(clientRequest(client_tx));
  SysTime rx = kT0;
  ServeDecision d = serve(rx);
  ASSERT_TRUE(d.reply);
  EXPECT_TRUE(d.stamp_transmit);
  EXPECT_FALSE(d.interleaved);
  EXPECT_FALSE(d.want_tx_timestamp);
  EXPECT_EQ(d.reply_length, 48);
  NtpHeader r = reply();
  EXPECT_EQ(r.mode, NtpMode::kServer);
  EXPECT_EQ(r.version, 4);
  EXPECT_EQ(r.poll, 6);
  EXPECT_EQ(r.stratum, 2);
  EXPECT_EQ(r.precision, -23);
  EXPECT_EQ(r.leap, proto::LeapIndicator::kNone);
  EXPECT_EQ(r.reference_id, 0xC0000201u);
  EXPECT_EQ(r.reference_time, state.reference_time);
  EXPECT_EQ(r.root_delay, state.root_delay);
  EXPECT_EQ(r.origin_time, client_tx);
  EXPECT_TRUE(r.receive_time.lowBit());
  EXPECT_EQ(r.receive_time.toSysTime(kT0), rx);  // exact: the round trip loses nothing
  // Dispersion grew by 10 s * 1e-5 = 100 µs (the short format's unit is 2^-16 s = 15.3 µs).
  const double expected = static_cast<double>(state.root_dispersion.toNanos().count()) + 100'000;
  EXPECT_NEAR(static_cast<double>(r.root_dispersion.toNanos().count()), expected, 2 * 15'259);
}

TEST_F(Fixture, EchoesOlderVersions) {
  for (uint8_t v : {1, 2, 3}) {
    NtpHeader h = clientRequest(NtpTimestamp::fromParts(1, 1));
    h.version = v;
    if (v == 1) h.mode = NtpMode::kReserved;  // NTPv1 had no mode field
    request(h);
    ServeDecision d = serve(kT0);
    ASSERT_TRUE(d.reply) << int(v);
    EXPECT_EQ(reply().version, v);
  }
}

TEST_F(Fixture, DropsNonRequests) {
  for (NtpMode m : {NtpMode::kSymmetricActive, NtpMode::kSymmetricPassive, NtpMode::kServer,
                    NtpMode::kBroadcast}) {
    NtpHeader h = clientRequest(NtpTimestamp::fromParts(1, 1));
    h.mode = m;
    request(h);
    ServeDecision d = serve(kT0);
    EXPECT_FALSE(d.reply);
    EXPECT_EQ(d.reason, DropReason::kNotRequest);
  }
  NtpHeader h = clientRequest(NtpTimestamp::fromParts(1, 1));
  h.mode = NtpMode::kPrivate;
  request(h);
  EXPECT_EQ(serve(kT0).reason, DropReason::kPrivateMode);
  EXPECT_EQ(log.used(), 0u);  // garbage never gets a client-log record
}

TEST_F(Fixture, AuthenticatedRequestGetsCryptoNakNeverLonger) {
  request(clientRequest(NtpTimestamp::fromParts(1, 1)), 20);  // key id + MD5
  buf[48] = 0;
  buf[51] = 7;  // key 7
  ServeDecision d = serve(kT0);
  ASSERT_TRUE(d.reply);
  EXPECT_EQ(d.reply_length, 52);
  EXPECT_LE(d.reply_length, len);
  EXPECT_EQ(buf[48] | buf[49] | buf[50] | buf[51], 0);
}

TEST_F(Fixture, UnsynchronisedStateIsServedAsSuch) {
  state = proto::ServerState{};
  request(clientRequest(NtpTimestamp::fromParts(1, 1)));
  ASSERT_TRUE(serve(kT0).reply);
  EXPECT_EQ(reply().leap, proto::LeapIndicator::kUnsynchronized);
  EXPECT_EQ(reply().stratum, 16);
}

TEST_F(Fixture, InterleavedExchange) {
  // 1st request: basic.
  request(clientRequest(NtpTimestamp::fromParts(1000, 1)));
  ServeDecision d1 = serve(kT0);
  ASSERT_TRUE(d1.reply);
  NtpHeader r1 = reply();
  NtpTimestamp tx1 = NtpTimestamp::fromSysTime(kT0 + Nanos(5000));
  ClientRecord& rec = *log.recordAt(log.touch(client, kT0).index);
  rec.requests--;  // (the extra touch above only finds the record)
  recordTransmit(rec, tx1, /*precise=*/false, false);

  // 2nd request asks for interleaved (origin = our previous receive timestamp) but no
  // precise TX is known yet: basic reply, and from now on TX stamps are requested.
  NtpHeader q2 = clientRequest(NtpTimestamp::fromParts(1001, 1));
  q2.origin_time = r1.receive_time;
  q2.receive_time = NtpTimestamp::fromParts(1000, 999);
  request(q2);
  ServeDecision d2 = serve(kT0 + Nanos(1'000'000'000));
  ASSERT_TRUE(d2.reply);
  EXPECT_FALSE(d2.interleaved);
  EXPECT_TRUE(d2.want_tx_timestamp);
  NtpHeader r2 = reply();
  EXPECT_EQ(r2.origin_time, q2.transmit_time);
  NtpTimestamp precise_tx2 = NtpTimestamp::fromSysTime(kT0 + Nanos(1'000'004'000));
  recordTransmit(*log.recordAt(log.touch(client, kT0 + Nanos(1'000'000'000)).index), precise_tx2,
                 true, false);

  // 3rd request: interleaved reply carrying the precise TX of the 2nd reply.
  NtpHeader q3 = clientRequest(NtpTimestamp::fromParts(1002, 1));
  q3.origin_time = r2.receive_time;
  q3.receive_time = NtpTimestamp::fromParts(1001, 777);
  request(q3);
  ServeDecision d3 = serve(kT0 + Nanos(2'000'000'000));
  ASSERT_TRUE(d3.reply);
  EXPECT_TRUE(d3.interleaved);
  EXPECT_FALSE(d3.stamp_transmit);
  NtpHeader r3 = reply();
  EXPECT_EQ(r3.origin_time, q3.receive_time);
  EXPECT_EQ(r3.transmit_time, precise_tx2);
  EXPECT_TRUE(r3.receive_time.lowBit());

  // A request whose origin does not match our last receive timestamp gets a basic reply.
  NtpHeader q4 = clientRequest(NtpTimestamp::fromParts(1003, 1));
  q4.origin_time = r2.receive_time;  // stale
  request(q4);
  ServeDecision d4 = serve(kT0 + Nanos(3'000'000'000));
  EXPECT_FALSE(d4.interleaved);
  EXPECT_EQ(reply().origin_time, q4.transmit_time);
}

// Sends a request whose origin echoes the receive timestamp of our last reply (interleaved)
// or our last transmit timestamp (basic), and returns the decision.
struct InterleavedClientFixture : Fixture {
  NtpTimestamp last_rx, last_tx;
  int n = 0;
  ServeDecision next(bool interleaved) {
    NtpHeader q = clientRequest(NtpTimestamp::fromParts(2000 + n, 1));
    q.origin_time = interleaved ? last_rx : last_tx;
    request(q);
    ServeDecision d = serve(kT0 + Nanos(1'000'000'000LL * ++n));
    last_rx = reply().receive_time;
    last_tx = reply().transmit_time;
    // The worker records the reply's transmit time (precise: its kernel TX stamp).
    ClientRecord& rec = *log.recordAt(log.touch(client, kT0 + Nanos(1'000'000'000LL * n)).index);
    rec.requests--;
    recordTransmit(rec, NtpTimestamp::fromSysTime(kT0 + Nanos(1'000'000'000LL * n + 4000)),
                   d.want_tx_timestamp, false);
    return d;
  }
};

TEST_F(InterleavedClientFixture, OneBasicRequestKeepsTxStampsTwoInARowStopThem) {
  EXPECT_FALSE(next(false).want_tx_timestamp);  // a new client: basic
  EXPECT_TRUE(next(true).want_tx_timestamp);    // asks for interleaved: stamps from now on
  EXPECT_TRUE(next(true).interleaved);
  // A lost reply: one request that is not interleaved. Its reply is still stamped, so the
  // next interleaved request is answered interleaved.
  ServeDecision after_loss = next(false);
  EXPECT_FALSE(after_loss.interleaved);
  EXPECT_TRUE(after_loss.want_tx_timestamp);
  ServeDecision resumed = next(true);
  EXPECT_TRUE(resumed.interleaved);
  EXPECT_TRUE(resumed.want_tx_timestamp);
  // Back to basic mode for good: the second basic request in a row is no longer stamped.
  EXPECT_TRUE(next(false).want_tx_timestamp);
  EXPECT_FALSE(next(false).want_tx_timestamp);
  EXPECT_FALSE(next(false).want_tx_timestamp);
  EXPECT_FALSE(log.find(client)->flags & ClientRecord::kFlagInterleaved);
  // Interleaved again: as for a new client, a basic reply with a stamp, then interleaved.
  ServeDecision again = next(true);
  EXPECT_FALSE(again.interleaved);
  EXPECT_TRUE(again.want_tx_timestamp);
  EXPECT_TRUE(next(true).interleaved);
}

// An interleaved client whose replies come late (or get lost): its request names a reply
// before the last one. The worker's HeldTimestamps keeps the earlier pairs.
struct LaggingClientFixture : Fixture {
  HeldTimestamps pairs{64 * sizeof(HeldPair)};
  struct Sent {
    NtpTimestamp receive;           // the reply's receive timestamp
    NtpTimestamp precise_transmit;  // its kernel TX stamp, as the worker records it
  };
  std::vector<Sent> sent;
  int n = 0;
  Nanos idle{0};  // added to every request's receive time from when it is set
  LaggingClientFixture() { held = &pairs; }

  // A request whose origin names the reply `behind` replies before the last one.
  ServeDecision next(size_t behind) {
    NtpHeader q = clientRequest(NtpTimestamp::fromParts(3000 + n, 1));
    if (sent.size() > behind) q.origin_time = sent[sent.size() - 1 - behind].receive;
    q.receive_time = NtpTimestamp::fromParts(2999 + n, 5);
    request(q);
    const SysTime rx = kT0 + Nanos(1'000'000'000LL * ++n) + idle;
    ServeDecision d = serve(rx);
    const NtpTimestamp precise = NtpTimestamp::fromSysTime(rx + Nanos(4000));
    sent.push_back({reply().receive_time, precise});
    ClientRecord& rec = *log.recordAt(log.touch(client, rx).index);
    rec.requests--;
    recordTransmit(rec, precise, d.want_tx_timestamp, false);
    return d;
  }
};

TEST_F(LaggingClientFixture, RequestsNamingAnEarlierReplyAreAnsweredInterleaved) {
  EXPECT_FALSE(next(0).want_tx_timestamp);  // new client: basic
  EXPECT_TRUE(next(0).want_tx_timestamp);   // asks for interleaved: stamps from now on
  EXPECT_TRUE(next(0).interleaved);
  // Replies now arrive one poll late: each request names the exchange before the last.
  for (int i = 0; i < 5; ++i) {
    ServeDecision d = next(1);
    ASSERT_TRUE(d.interleaved) << i;
    EXPECT_FALSE(d.stamp_transmit);
    EXPECT_TRUE(d.want_tx_timestamp);
    // The precise TX of the exchange it named (two before this one), not of the last.
    EXPECT_EQ(reply().transmit_time, sent[sent.size() - 3].precise_transmit) << i;
    EXPECT_EQ(reply().origin_time, NtpTimestamp::fromParts(2999 + n - 1, 5));
  }
  // Three late; then back in step.
  ASSERT_TRUE(next(3).interleaved);
  EXPECT_EQ(reply().transmit_time, sent[sent.size() - 5].precise_transmit);
  ASSERT_TRUE(next(0).interleaved);
  EXPECT_EQ(reply().transmit_time, sent[sent.size() - 2].precise_transmit);
  EXPECT_EQ(pairs.held(), 8u);  // each reply's pair from the second on, saved at the next
  // An origin that names no reply of this client: basic.
  NtpHeader q = clientRequest(NtpTimestamp::fromParts(4000, 1));
  q.origin_time = NtpTimestamp::fromRaw(sent[0].receive.raw() + 2);
  request(q);
  ServeDecision d = serve(kT0 + Nanos(1'000'000'000LL * ++n));
  EXPECT_FALSE(d.interleaved);
  EXPECT_EQ(reply().origin_time, q.transmit_time);
}

// Held pair numbers repeat after 2^32 saves: a client idle for over an hour keeps its last
// exchange (in its record) but not the chain of earlier ones.
TEST_F(LaggingClientFixture, AClientIdleForAnHourForgetsItsEarlierPairs) {
  next(0);
  next(0);
  ASSERT_TRUE(next(0).interleaved);
  ASSERT_TRUE(next(1).interleaved);  // from a held pair
  idle = Nanos(3601LL * 1'000'000'000);
  EXPECT_TRUE(next(0).interleaved);  // the last exchange, from the record
  EXPECT_TRUE(next(1).interleaved);  // saved after the idle hour: held
  EXPECT_FALSE(next(3).interleaved);  // saved before it: forgotten
  EXPECT_EQ(reply().origin_time, NtpTimestamp::fromParts(3000 + n - 1, 1));  // basic mode
}

TEST_F(LaggingClientFixture, WithoutHeldPairsOnlyTheLastExchangeCanBeNamed) {
  held = nullptr;
  next(0);
  next(0);
  EXPECT_TRUE(next(0).interleaved);
  EXPECT_FALSE(next(1).interleaved);
  EXPECT_EQ(pairs.savedCount(), 0u);
}

TEST_F(Fixture, RateLimitedFloodGetsDropsAndKodButNeverMoreThanOneReply) {
  rate = RateLimitParams{true, 3, 8, 2, 1};
  int replies = 0, kods = 0, drops = 0;
  for (int i = 0; i < 1000; ++i) {
    request(clientRequest(NtpTimestamp::fromParts(2000 + i, 1)));
    ServeDecision d = serve(kT0 + Nanos(i * 1'000'000LL));
    if (d.reply) {
      ++replies;
      EXPECT_LE(d.reply_length, len);
      if (d.kod) {
        ++kods;
        NtpHeader r = reply();
        EXPECT_EQ(r.stratum, 0);
        EXPECT_EQ(r.reference_id, proto::kiss::kRate);
        EXPECT_EQ(r.origin_time, NtpTimestamp::fromParts(2000 + i, 1));
      }
    } else {
      EXPECT_EQ(d.reason, DropReason::kRateLimited);
      ++drops;
    }
  }
  EXPECT_GT(drops, 250);
  EXPECT_GT(kods, 150);
  EXPECT_EQ(log.find(client)->drops, static_cast<uint32_t>(drops));
}

}  // namespace
}  // namespace strata::server
