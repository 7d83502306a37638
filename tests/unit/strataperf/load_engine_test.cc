// The load engine against a tiny in-test NTP responder on loopback: real sockets, kernel
// timestamps, threads. Rates are low so the responder keeps up on a busy 2-core machine.
#include "tools/strataperf/load_engine.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "common/clock.h"
#include "common/unique_fd.h"
#include "hwts/socket_opt_id.h"

namespace strata::perf {
namespace {

using proto::NtpTimestamp;

// Answers client requests: basic replies stamped from CLOCK_REALTIME; interleaved replies
// (RFC 9769, keyed by client address) carrying the clock reading taken after the previous
// reply's sendto() returned as its "precise" transmit timestamp.
class Responder {
 public:
  Responder() : fd_(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int bytes = 4 << 20;
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes);
    bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~Responder() {
    stop_ = true;
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::set<uint32_t> clients() const { return clients_; }  // after the step (joined threads)

 private:
  struct Saved {
    uint64_t rx = 0;
    uint64_t tx = 0;
  };
  static uint64_t nowNtp() { return NtpTimestamp::fromSysTime(common::realtimeNow()).raw(); }

  void run() {
    while (!stop_) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      uint8_t buf[512];
      sockaddr_in from{};
      socklen_t from_len = sizeof from;
      ssize_t n = recvfrom(fd_.get(), buf, sizeof buf, MSG_DONTWAIT,
                           reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n < 48) continue;
      uint64_t rx = nowNtp() | 1;
      uint32_t client = ntohl(from.sin_addr.s_addr);
      clients_.insert(client);
      uint64_t req_origin = proto::readTimestamp(buf + 24).raw();
      uint64_t req_receive = proto::readTimestamp(buf + 32).raw();
      uint64_t req_transmit = proto::readTimestamp(buf + 40).raw();
      Saved& saved = saved_[client];
      bool interleaved = req_origin != 0 && req_origin == saved.rx && saved.tx != 0;
      buf[0] = 0x24;  // v4, mode 4
      buf[1] = 1;     // stratum 1
      proto::writeTimestamp(buf + 24,
                            NtpTimestamp::fromRaw(interleaved ? req_receive : req_transmit));
      proto::writeTimestamp(buf + 32, NtpTimestamp::fromRaw(rx));
      uint64_t tx = interleaved ? saved.tx : (nowNtp() & ~uint64_t{1});
      proto::writeTimestamp(buf + 40, NtpTimestamp::fromRaw(tx));
      sendto(fd_.get(), buf, 48, 0, reinterpret_cast<sockaddr*>(&from), from_len);
      saved.rx = rx;
      saved.tx = nowNtp() & ~uint64_t{1};  // after the send: late, never early
    }
  }

  common::UniqueFd fd_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::map<uint32_t, Saved> saved_;
  std::set<uint32_t> clients_;
};

EngineConfig configFor(uint16_t port, RunMode mode, uint64_t clients) {
  EngineConfig c;
  c.server = common::SocketAddress{common::IpAddress::loopbackV4(), port};
  c.source = *common::Subnet::parse("127.77.0.0/16");
  c.clients = clients;
  c.threads = 1;
  c.sockets = 3;
  c.batch = 8;
  c.mode = mode;
  auto counting = hwts::probeOptIdCounting();
  c.opt_id_counting = counting ? *counting : hwts::OptIdCounting::kEveryPacket;
  c.max_rate_per_s = 2000;
  return c;
}

TEST(LoadEngine, BasicModeAgainstResponder) {
  Responder responder;
  auto engine = LoadEngine::create(configFor(responder.port(), RunMode::kBasic, 20));
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  StepResult s = (*engine)->runStep(1000, 0.5, 0.3, nullptr);
  EXPECT_EQ(s.counters.planned, 500u);
  // All of them unless this busy machine preempted the sender past the step's end slack.
  EXPECT_GE(s.counters.sent, 495u);
  EXPECT_LE(s.counters.sent, 500u);
  EXPECT_FALSE(s.send_shortfall);
  EXPECT_GE(s.counters.validReplies(), 495u);  // loopback at 1000/s: essentially no loss
  EXPECT_EQ(s.counters.verdicts[static_cast<size_t>(ReplyVerdict::kInterleaved)], 0u);
  EXPECT_EQ(s.counters.tx_stamp_mismatch, 0u);
  EXPECT_EQ(s.counters.tx_stamps, s.counters.sent);
  EXPECT_EQ(s.counters.wrong_address, 0u);
  EXPECT_EQ(s.counters.low_bit_convention, s.counters.validReplies());
  // The responder stamps after our kernel sent (RX error > 0) and before its own sendto
  // (TX error > 0); both well under a second on one host.
  EXPECT_EQ(s.rx_error.count, s.counters.validReplies());
  EXPECT_GT(s.rx_error.min_ns, 0);
  EXPECT_LT(s.rx_error.max_ns, 1'000'000'000);
  EXPECT_EQ(s.tx_error_basic.count, s.counters.validReplies());
  EXPECT_GT(s.tx_error_basic.min_ns, 0);
  EXPECT_LT(s.tx_error_basic.max_ns, 1'000'000'000);
  // Every client spoke from its own address.
  std::set<uint32_t> seen = responder.clients();
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_TRUE(seen.count((127u << 24) | (77u << 16) | 1));
  EXPECT_TRUE(seen.count((127u << 24) | (77u << 16) | 20));
}

TEST(LoadEngine, InterleavedModeAgainstResponder) {
  Responder responder;
  auto engine = LoadEngine::create(configFor(responder.port(), RunMode::kInterleaved, 10));
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  StepResult s = (*engine)->runStep(1000, 0.5, 0.3, nullptr);
  EXPECT_GE(s.counters.validReplies(), 495u);
  // After each client's first exchange, replies are interleaved (a lost reply breaks the
  // chain for one exchange).
  EXPECT_GT(s.interleavedPct(), 90.0);
  // Each client's first request names no earlier reply: those replies are not counted as
  // named, and the share of named replies answered interleaved is higher.
  EXPECT_LE(s.counters.named_replies + 10, s.counters.validReplies());
  EXPECT_EQ(s.counters.named_interleaved,
            s.counters.verdicts[static_cast<size_t>(ReplyVerdict::kInterleaved)]);
  EXPECT_GT(s.namedInterleavedPct(), s.interleavedPct());
  EXPECT_GT(s.tx_error_interleaved.count, 400u);
  // The responder's "precise" TX is read after sendto() returned, so it is late, not early:
  // its interleaved TX error is below its basic one (its basic stamp precedes the send).
  EXPECT_LT(s.tx_error_interleaved.mean_ns, s.tx_error_basic.mean_ns + 1e6);
  // A second step keeps the client state: interleaved from its first request on. Each
  // client asks every 10 ms; a reply later than that (a loaded CI machine running tests in
  // parallel) breaks the chain for one exchange, as in the first step.
  StepResult s2 = (*engine)->runStep(1000, 0.3, 0.3, nullptr);
  EXPECT_EQ(s2.counters.late, 0u);
  EXPECT_GT(s2.interleavedPct(), 90.0);
  EXPECT_EQ(s2.counters.named_replies, s2.counters.validReplies());
  EXPECT_DOUBLE_EQ(s2.namedInterleavedPct(), s2.interleavedPct());
}

TEST(LoadEngine, MixedModeSplitsClients) {
  Responder responder;
  auto engine = LoadEngine::create(configFor(responder.port(), RunMode::kMixed, 10));
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  StepResult s = (*engine)->runStep(1000, 0.5, 0.3, nullptr);
  EXPECT_GT(s.basicPct(), 40.0);
  EXPECT_GT(s.interleavedPct(), 40.0);
  EXPECT_GT(s.tx_error_basic.count, 200u);
  EXPECT_GT(s.tx_error_interleaved.count, 200u);
}

TEST(LoadEngine, NoServerMeansAllLost) {
  // A bound socket that never answers.
  common::UniqueFd sink(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(sink.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  getsockname(sink.get(), reinterpret_cast<sockaddr*>(&a), &len);
  auto engine = LoadEngine::create(configFor(ntohs(a.sin_port), RunMode::kBasic, 4));
  ASSERT_TRUE(engine.ok());
  StepResult s = (*engine)->runStep(500, 0.2, 0.1, nullptr);
  EXPECT_GE(s.counters.sent, 95u);
  EXPECT_EQ(s.counters.validReplies(), 0u);
  EXPECT_DOUBLE_EQ(s.lostPct(), 100.0);
  EXPECT_EQ(s.rx_error.count, 0u);
}

}  // namespace
}  // namespace strata::perf
