// ServingEngine/Worker over real loopback sockets: replies, drops, steering, interleaved
// mode with kernel TX timestamps.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <optional>
#include <vector>

#include "common/clock.h"
#include "common/unique_fd.h"
#include "proto/refid.h"
#include "server/serving_engine.h"
#include "server/serving_socket.h"
#include "tests/unit/support/netstamp_warmup.h"

namespace strata::server {
namespace {

using common::Nanos;
using proto::NtpHeader;
using proto::NtpMode;
using proto::NtpTimestamp;

class TestClient {
 public:
  explicit TestClient(const char* local = "127.0.0.1") {
    auto addr = *common::SocketAddress::parse(local, 0);
    fd_.reset(socket(addr.ip.isV4() ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_storage ss;
    socklen_t len = addr.toSockaddr(ss);
    EXPECT_EQ(bind(fd_.get(), reinterpret_cast<sockaddr*>(&ss), len), 0);
  }
  void send(const common::SocketAddress& to, const std::vector<uint8_t>& bytes) {
    sockaddr_storage ss;
    socklen_t len = to.toSockaddr(ss);
    ASSERT_EQ(
        sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&ss), len),
        static_cast<ssize_t>(bytes.size()));
  }
  std::optional<std::vector<uint8_t>> receive(int timeout_ms) {
    pollfd p{fd_.get(), POLLIN, 0};
    if (poll(&p, 1, timeout_ms) != 1) return std::nullopt;
    std::vector<uint8_t> buf(2048);
    ssize_t n = recv(fd_.get(), buf.data(), buf.size(), 0);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<size_t>(n));
    return buf;
  }

 private:
  common::UniqueFd fd_;
};

std::vector<uint8_t> request(NtpTimestamp transmit, NtpTimestamp origin = {},
                             NtpTimestamp receive = {}) {
  NtpHeader h;
  h.mode = NtpMode::kClient;
  h.transmit_time = transmit;
  h.origin_time = origin;
  h.receive_time = receive;
  std::vector<uint8_t> b(48);
  proto::encodeHeader(h, std::span<uint8_t, 48>(b.data(), 48));
  return b;
}

// Counters are updated just after sendmmsg returns, so a client can see its reply first:
// wait (bounded) until the engine has counted `replies`.
bool waitForReplies(const ServingEngine& engine, uint64_t replies) {
  for (int i = 0; i < 200; ++i) {
    if (engine.totals().replied >= replies) return true;
    usleep(5000);
  }
  return false;
}

struct EngineFixture : ::testing::Test {
  common::SeqLock<proto::ServerState> state;
  AccessTable access;
  std::unique_ptr<ServingEngine> engine;

  void SetUp() override {
    proto::ServerState s;
    s.leap = proto::LeapIndicator::kNone;
    s.stratum = 3;
    s.reference_id = proto::refIdFromText("TEST");
    state.store(s);
    access.allow(*common::Subnet::parse("127.0.0.0/8"));
    access.deny(*common::Subnet::parse("127.0.0.99"));
  }
  // Shedding TX stamps of requests that waited is off unless asked for: a loaded test
  // machine can delay a worker's wake-up by a millisecond.
  void startEngine(unsigned workers, bool calibration = true,
                   int64_t shed_stamps_after_ns = 10'000'000'000) {
    openEngine(workers, calibration, shed_stamps_after_ns);
    if (HasFatalFailure()) return;
    engine->start();
  }
  // Binds the sockets without starting the workers: datagrams sent now wait in the sockets.
  void openEngine(unsigned workers, bool calibration = true,
                  int64_t shed_stamps_after_ns = 10'000'000'000) {
    ServingOptions o;
    o.bind = {*common::SocketAddress::parse("127.0.0.1:0", 0)};
    o.workers = workers;
    o.tx_calibration = calibration;
    o.shed_stamps_after_ns = shed_stamps_after_ns;
    engine = std::make_unique<ServingEngine>(state, access);
    auto r = engine->open(o);
    ASSERT_TRUE(r) << r.error().message;
  }
  common::SocketAddress server() const { return engine->boundAddresses()[0]; }
};

TEST_F(EngineFixture, AnswersRequestsWithKernelReceiveTimestamps) {
  testing_support::KernelRxTimestampsOn stamps_on;
  ASSERT_TRUE(stamps_on.on());
  startEngine(1);
  TestClient client;
  NtpTimestamp t1 = NtpTimestamp::fromSysTime(common::realtimeNow());
  client.send(server(), request(t1));
  auto reply = client.receive(2000);
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->size(), 48u);
  proto::ParsedPacket p;
  ASSERT_EQ(proto::parsePacket(*reply, p), proto::ParseError::kNone);
  EXPECT_EQ(p.header.mode, NtpMode::kServer);
  EXPECT_EQ(p.header.stratum, 3);
  EXPECT_EQ(p.header.origin_time, t1);
  Nanos rx_minus_t1 = common::ntpDifference(p.header.receive_time, t1);
  Nanos tx_minus_rx = common::ntpDifference(p.header.transmit_time, p.header.receive_time);
  EXPECT_GE(rx_minus_t1.count(), 0);
  EXPECT_LT(rx_minus_t1.count(), 100'000'000);
  EXPECT_GE(tx_minus_rx.count(), 0);
  EXPECT_FALSE(p.header.transmit_time.lowBit());
  ASSERT_TRUE(waitForReplies(*engine, 1));
  ServingTotals t = engine->totals();
  EXPECT_EQ(t.received, 1u);
  EXPECT_EQ(t.replied, 1u);
  EXPECT_EQ(t.rx_stamps[static_cast<size_t>(StampSource::kKernel)], 1u);
}

// Replies may not be fragmented (DF) and so carry IPv4 ID 0: the kernel's shared IP ID
// generator is not used. Sniffs the reply with a raw socket (needs CAP_NET_RAW).
TEST_F(EngineFixture, RepliesAreNeverFragmentedAndCarryIpIdZero) {
  common::UniqueFd sniffer(socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_UDP));
  if (!sniffer) GTEST_SKIP() << "no raw socket (CAP_NET_RAW) to see IP headers";
  startEngine(1);
  TestClient client;
  const uint16_t server_port = server().port;
  int seen = 0;
  for (int i = 0; i < 3; ++i) {
    client.send(server(), request(NtpTimestamp::fromParts(100 + i, 0)));
    ASSERT_TRUE(client.receive(2000));
  }
  // The raw socket sees every UDP datagram on the host: the requests, the replies and
  // whatever else runs meanwhile. Read what has come so far.
  std::vector<uint8_t> buf(2048);
  for (;;) {
    pollfd p{sniffer.get(), POLLIN, 0};
    if (poll(&p, 1, 200) != 1) break;
    const ssize_t n = recv(sniffer.get(), buf.data(), buf.size(), 0);
    // Other tests, run in parallel, send datagrams of every size (empty ones too).
    if (n < 20) continue;
    const size_t ihl = (buf[0] & 0x0F) * 4u;
    if (static_cast<size_t>(n) < ihl + 8) continue;
    const uint16_t source_port = static_cast<uint16_t>((buf[ihl] << 8) | buf[ihl + 1]);
    if (source_port != server_port || buf[12] != 127) continue;
    const uint16_t fragment_field = static_cast<uint16_t>((buf[6] << 8) | buf[7]);
    const uint16_t id = static_cast<uint16_t>((buf[4] << 8) | buf[5]);
    EXPECT_EQ(fragment_field, 0x4000) << "DF set, not a fragment";
    EXPECT_EQ(id, 0);
    ++seen;
  }
  EXPECT_EQ(seen, 3);
}

// Sends a UDP datagram with a forged IPv4 source through a raw socket (needs CAP_NET_RAW).
bool sendForged(int raw_fd, uint32_t source_host_order, uint16_t source_port,
                const common::SocketAddress& to, const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> p(28 + payload.size(), 0);
  p[0] = 0x45;
  p[8] = 64;  // TTL
  p[9] = IPPROTO_UDP;
  for (int i = 0; i < 4; ++i) p[12 + i] = static_cast<uint8_t>(source_host_order >> (24 - 8 * i));
  const uint32_t dst = to.ip.v4HostOrder();
  for (int i = 0; i < 4; ++i) p[16 + i] = static_cast<uint8_t>(dst >> (24 - 8 * i));
  p[20] = static_cast<uint8_t>(source_port >> 8);
  p[21] = static_cast<uint8_t>(source_port);
  p[22] = static_cast<uint8_t>(to.port >> 8);
  p[23] = static_cast<uint8_t>(to.port);
  const size_t udp_length = 8 + payload.size();
  p[24] = static_cast<uint8_t>(udp_length >> 8);
  p[25] = static_cast<uint8_t>(udp_length);
  std::copy(payload.begin(), payload.end(), p.begin() + 28);  // UDP checksum 0: none
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(dst);
  return sendto(raw_fd, p.data(), p.size(), 0, reinterpret_cast<sockaddr*>(&sin), sizeof sin) ==
         static_cast<ssize_t>(p.size());
}

// A request forged from the subnet broadcast 127.255.255.255 gets a reply the kernel refuses
// (EACCES: no SO_BROADCAST). It used to end the batch's sendmmsg, and the replies queued
// after it were never sent. One from a multicast source is dropped unanswered.
TEST_F(EngineFixture, ARefusedReplyDoesNotCostItsBatchTheirs) {
  common::UniqueFd raw(socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW));
  if (!raw) GTEST_SKIP() << "no raw socket (CAP_NET_RAW) to forge a source address";
  openEngine(1, /*calibration=*/false);
  // Queue everything before the worker runs: its first read takes all of it in one batch.
  const auto broadcast = request(NtpTimestamp::fromParts(1, 0));
  const auto multicast = request(NtpTimestamp::fromParts(2, 0));
  ASSERT_TRUE(sendForged(raw.get(), 0x7FFFFFFF, 40000, server(), broadcast));
  ASSERT_TRUE(sendForged(raw.get(), 0xE0000001, 40001, server(), multicast));
  std::vector<TestClient> clients(4);
  for (size_t i = 0; i < clients.size(); ++i) {
    clients[i].send(server(), request(NtpTimestamp::fromParts(10 + static_cast<uint32_t>(i), 0)));
  }
  engine->start();
  for (size_t i = 0; i < clients.size(); ++i) {
    auto reply = clients[i].receive(2000);
    ASSERT_TRUE(reply) << "client " << i;
    NtpHeader r = proto::decodeHeader(std::span<const uint8_t, 48>(reply->data(), 48));
    EXPECT_EQ(r.origin_time, NtpTimestamp::fromParts(10 + static_cast<uint32_t>(i), 0));
  }
  ASSERT_TRUE(waitForReplies(*engine, 4));
  const ServingTotals t = engine->totals();
  EXPECT_EQ(t.received, 6u);
  EXPECT_EQ(t.replied, 4u);
  EXPECT_EQ(t.dropped[static_cast<size_t>(DropReason::kSendFailed)], 1u);
  EXPECT_EQ(t.dropped[static_cast<size_t>(DropReason::kBadSource)], 1u);
}

TEST_F(EngineFixture, DropsGarbageAndDeniedClientsAndCountsThem) {
  startEngine(2);
  TestClient client;
  std::vector<uint8_t> good = request(NtpTimestamp::fromParts(5, 5));
  // clang-format off
  std::vector<std::vector<uint8_t>> bad = {
      {},                                                              // empty
      std::vector<uint8_t>(good.begin(), good.begin() + 47),           // truncated
      [&] { auto b = good; b[0] = 0x2B; return b; }(),                 // version 5
      [&] { auto b = good; b[0] = 0x16; b.resize(12); return b; }(),  // mode 6
      [&] { auto b = good; b[0] = 0x17; return b; }(),                 // mode 7
      [&] { auto b = good; b[0] = 0x24; return b; }(),                 // mode 4 (a reply)
      [&] { auto b = good; b.resize(48 + 7); return b; }(),            // stray trailer
      std::vector<uint8_t>(1400, 0xEE),                                // oversized garbage
  };
  // clang-format on
  for (const auto& b : bad) client.send(server(), b);
  EXPECT_FALSE(client.receive(300));

  TestClient denied("127.0.0.99");
  denied.send(server(), good);
  EXPECT_FALSE(denied.receive(300));

  client.send(server(), good);
  ASSERT_TRUE(client.receive(2000));  // still alive and serving
  ASSERT_TRUE(waitForReplies(*engine, 1));
  ServingTotals t = engine->totals();
  EXPECT_EQ(t.received, bad.size() + 2);
  EXPECT_EQ(t.replied, 1u);
  EXPECT_EQ(t.droppedTotal(), bad.size() + 1);
  EXPECT_EQ(t.dropped[static_cast<size_t>(DropReason::kDenied)], 1u);
  EXPECT_EQ(t.dropped[static_cast<size_t>(DropReason::kControlMode)], 1u);
  EXPECT_EQ(t.dropped[static_cast<size_t>(DropReason::kPrivateMode)], 1u);
  EXPECT_EQ(t.dropped[static_cast<size_t>(DropReason::kTruncated)], 1u);
}

TEST_F(EngineFixture, SteersEachClientAddressToOneWorker) {
  startEngine(2);
  // Clients on several loopback addresses, several source ports each.
  for (int a = 1; a <= 6; ++a) {
    std::string addr = "127.0.1." + std::to_string(a);
    unsigned expected = steeringIndex(*common::IpAddress::parse(addr), 2);
    uint64_t before = engine->worker(expected).stats().replied.get();
    uint64_t total_before = engine->totals().replied;
    for (int port = 0; port < 4; ++port) {
      TestClient c(addr.c_str());
      c.send(server(), request(NtpTimestamp::fromParts(9, port)));
      ASSERT_TRUE(c.receive(2000));
    }
    ASSERT_TRUE(waitForReplies(*engine, total_before + 4));
    EXPECT_EQ(engine->worker(expected).stats().replied.get(), before + 4) << addr;
  }
}

TEST_F(EngineFixture, EachAddressGetsItsOwnWorkers) {
  access.allow(*common::Subnet::parse("::1/128"));
  ServingOptions o;
  o.bind = {*common::SocketAddress::parse("127.0.0.1:0", 0),
            *common::SocketAddress::parse("[::1]:0", 0)};
  o.workers = 2;
  engine = std::make_unique<ServingEngine>(state, access);
  auto r = engine->open(o);
  ASSERT_TRUE(r) << r.error().message;
  engine->start();
  // One thread per socket: 2 addresses x 2 workers; worker i serves address i / 2.
  ASSERT_EQ(engine->workerCount(), 4u);
  EXPECT_EQ(engine->workersPerAddress(), 2u);
  const char* clients[] = {"127.0.0.1", "::1"};
  for (int a = 0; a < 2; ++a) {
    const uint64_t before = engine->worker(2 * a).stats().received.get() +
                            engine->worker(2 * a + 1).stats().received.get();
    TestClient c(clients[a]);
    c.send(engine->boundAddresses()[a], request(NtpTimestamp::fromParts(5, a)));
    ASSERT_TRUE(c.receive(2000)) << clients[a];
    ASSERT_TRUE(waitForReplies(*engine, a + 1));
    EXPECT_EQ(engine->worker(2 * a).stats().received.get() +
                  engine->worker(2 * a + 1).stats().received.get(),
              before + 1)
        << clients[a];
  }
}

TEST_F(EngineFixture, InterleavedRepliesCarryKernelTransmitTimestamps) {
  startEngine(1);
  TestClient client;
  NtpTimestamp prev_rx;  // our previous reply's receive timestamp
  NtpTimestamp prev_tx;  // and its transmit field
  int interleaved = 0;
  for (int i = 0; i < 6; ++i) {
    NtpTimestamp t1 = NtpTimestamp::fromSysTime(common::realtimeNow());
    // Interleaved request: origin = the server's last receive timestamp.
    client.send(server(), request(t1, prev_rx, NtpTimestamp::fromParts(1, 2)));
    auto reply = client.receive(2000);
    ASSERT_TRUE(reply);
    NtpHeader r = proto::decodeHeader(std::span<const uint8_t, 48>(reply->data(), 48));
    if (i >= 2) {
      // From the third exchange on: interleaved, carrying the kernel's TX stamp of the
      // previous reply, which is later than the basic stamp written in that reply.
      EXPECT_EQ(r.origin_time, NtpTimestamp::fromParts(1, 2)) << i;
      Nanos precise_minus_basic = common::ntpDifference(r.transmit_time, prev_tx);
      EXPECT_GE(precise_minus_basic.count(), -50'000) << i;
      EXPECT_LT(precise_minus_basic.count(), 50'000'000) << i;
      ++interleaved;
    } else {
      EXPECT_EQ(r.origin_time, t1);
    }
    prev_rx = r.receive_time;
    prev_tx = r.transmit_time;
    usleep(20000);  // let the TX timestamp arrive before the next request
  }
  EXPECT_EQ(interleaved, 4);
  ASSERT_TRUE(waitForReplies(*engine, 6));
  EXPECT_EQ(engine->totals().interleaved, 4u);
  EXPECT_GE(engine->totals().tx_stamps[static_cast<size_t>(StampSource::kKernel)], 4u);
}

TEST_F(EngineFixture, AClientOneReplyBehindStaysInterleaved) {
  // As under load, when replies arrive after the client's next poll: every request names
  // the exchange before the last one. The worker keeps those pairs (HeldTimestamps).
  startEngine(1);
  TestClient client;
  std::vector<NtpHeader> replies;
  int interleaved = 0;
  for (int i = 0; i < 7; ++i) {
    NtpTimestamp t1 = NtpTimestamp::fromSysTime(common::realtimeNow());
    const NtpTimestamp origin =
        replies.size() >= 2 ? replies[replies.size() - 2].receive_time
                            : (replies.empty() ? NtpTimestamp() : replies.back().receive_time);
    client.send(server(), request(t1, origin, NtpTimestamp::fromParts(7, i)));
    auto reply = client.receive(2000);
    ASSERT_TRUE(reply);
    NtpHeader r = proto::decodeHeader(std::span<const uint8_t, 48>(reply->data(), 48));
    if (r.origin_time == NtpTimestamp::fromParts(7, i)) {
      // Interleaved: the kernel's TX stamp of the reply its origin named, which is later
      // than the basic stamp written in that reply.
      ASSERT_GE(replies.size(), 2u);
      Nanos precise_minus_basic =
          common::ntpDifference(r.transmit_time, replies[replies.size() - 2].transmit_time);
      EXPECT_GE(precise_minus_basic.count(), -50'000) << i;
      EXPECT_LT(precise_minus_basic.count(), 50'000'000) << i;
      ++interleaved;
    } else {
      EXPECT_EQ(r.origin_time, t1) << i;
    }
    replies.push_back(r);
    usleep(20000);  // let the TX timestamp arrive before the next request
  }
  // 1st basic (new), 2nd basic (names the last reply, whose TX was not stamped), 3rd basic
  // (names the 1st, which was not kept), from the 4th on interleaved.
  EXPECT_EQ(interleaved, 4);
  ASSERT_TRUE(waitForReplies(*engine, 7));
  EXPECT_EQ(engine->totals().interleaved, 4u);
  // Replies 2-6, saved at the next request (shown within ~200 ms: see Worker).
  for (int i = 0; i < 100 && engine->totals().timestamps_held < 5; ++i) usleep(10000);
  EXPECT_EQ(engine->totals().timestamps_held, 5u);
  EXPECT_GT(engine->totals().timestamp_span_ns, 50'000'000u);  // 4 x 20 ms apart, at least
}

TEST_F(EngineFixture, RequestsThatWaitedGetNoTxStampRequests) {
  // Every request counts as having waited too long (threshold 0): replies to an interleaved
  // client get no precise TX stamp, so it is answered basic, and the shed stamps are counted.
  startEngine(1, /*calibration=*/false, 0);
  TestClient client;
  NtpTimestamp prev_rx;
  for (int i = 0; i < 5; ++i) {
    NtpTimestamp t1 = NtpTimestamp::fromSysTime(common::realtimeNow());
    client.send(server(), request(t1, prev_rx, NtpTimestamp::fromParts(1, 2)));
    auto reply = client.receive(2000);
    ASSERT_TRUE(reply);
    NtpHeader r = proto::decodeHeader(std::span<const uint8_t, 48>(reply->data(), 48));
    EXPECT_EQ(r.origin_time, t1) << i;  // basic
    prev_rx = r.receive_time;
    usleep(20000);
  }
  ASSERT_TRUE(waitForReplies(*engine, 5));
  EXPECT_EQ(engine->totals().interleaved, 0u);
  // The 2nd request on asked for interleaved mode; each one's reply was shed.
  EXPECT_EQ(engine->worker(0).stats().tx_stamp_shed.get(), 4u);
  EXPECT_EQ(engine->totals().tx_stamps[static_cast<size_t>(StampSource::kKernel)], 0u);
}

TEST_F(EngineFixture, CalibrationLearnsTheSendDelay) {
  startEngine(1);
  TestClient client;
  for (int i = 0; i < 64; ++i) {
    client.send(server(), request(NtpTimestamp::fromParts(100, i)));
    ASSERT_TRUE(client.receive(2000));
  }
  const WorkerStats& s = engine->worker(0).stats();
  EXPECT_GE(s.tx_calibration_samples.get(), 3u);
  EXPECT_GT(s.tx_delay_base_ns.get(), 0u);          // sending takes time...
  EXPECT_LT(s.tx_delay_base_ns.get(), 1'000'000u);  // ...but not a millisecond
}

// Datagrams queued before the worker starts arrive in its first recvmmsg batch; the batch is
// stamped from one clock reading for its single sendmmsg (with calibration off, equal stamps;
// with it on, later positions get the model's larger delays).
TEST_F(EngineFixture, ABatchIsStampedFromOneClockReading) {
  for (size_t burst : {3u, 8u}) {
    ServingOptions o;
    o.bind = {*common::SocketAddress::parse("127.0.0.1:0", 0)};
    o.workers = 1;
    o.tx_calibration = false;
    engine = std::make_unique<ServingEngine>(state, access);
    auto r = engine->open(o);
    ASSERT_TRUE(r) << r.error().message;
    std::vector<TestClient> clients(burst);
    for (size_t i = 0; i < burst; ++i) {
      clients[i].send(server(), request(NtpTimestamp::fromParts(200, static_cast<uint32_t>(i))));
    }
    engine->start();
    std::vector<NtpTimestamp> tx;
    for (auto& c : clients) {
      auto reply = c.receive(2000);
      ASSERT_TRUE(reply);
      proto::ParsedPacket p;
      ASSERT_EQ(proto::parsePacket(*reply, p), proto::ParseError::kNone);
      tx.push_back(p.header.transmit_time);
    }
    for (size_t i = 1; i < burst; ++i) EXPECT_EQ(tx[i], tx[0]) << "burst " << burst << " reply " << i;
    engine.reset();
  }
}

TEST_F(EngineFixture, PortInUseIsAClearError) {
  startEngine(1);
  ServingOptions o;
  o.bind = {server()};
  o.workers = 1;
  // A second engine on the same port without SO_REUSEPORT sharing is refused by the
  // kernel only when the first socket is not reuseport; ours are, so take a plain socket.
  common::UniqueFd plain(socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_storage ss;
  socklen_t len = server().toSockaddr(ss);
  ASSERT_NE(bind(plain.get(), reinterpret_cast<sockaddr*>(&ss), len), 0);
  common::UniqueFd holder(socket(AF_INET, SOCK_DGRAM, 0));
  auto busy = *common::SocketAddress::parse("127.0.0.1:0", 0);
  busy.toSockaddr(ss);
  ASSERT_EQ(bind(holder.get(), reinterpret_cast<sockaddr*>(&ss), sizeof(sockaddr_in)), 0);
  len = sizeof ss;
  getsockname(holder.get(), reinterpret_cast<sockaddr*>(&ss), &len);
  o.bind = {*common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len)};
  ServingEngine other(state, access);
  auto r = other.open(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("address already in use"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace strata::server
