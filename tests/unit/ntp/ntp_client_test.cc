// The NTP client shell on loopback: real sockets (kernel timestamps), a real TimeKeeper with a
// SoftwareClock (nothing is steered), in-process responders, and a fake resolver. The test
// thread runs everything a TimeKeeperLoop would: poll() on the client's descriptor, the
// responders' sockets and posted callbacks.

#include "refclock/ntp/ntp_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <functional>
#include <mutex>

#include "common/clock.h"
#include "proto/refid.h"
#include "refclock/software_clock.h"

namespace strata::refclock::ntp {
namespace {

constexpr Nanos kMs{1'000'000};

enum class Behaviour { kNormal, kSilent, kDeny, kDuplicate, kMalformed, kUnsynchronised };

// A UDP responder on 127.0.0.x: answers in basic mode with its clock `offset` ahead.
struct Responder {
  common::UniqueFd fd;
  common::SocketAddress address;
  Nanos offset{0};
  Behaviour behaviour = Behaviour::kNormal;
  int requests = 0;

  static std::unique_ptr<Responder> open(uint32_t ip, uint16_t port = 0) {
    return open(common::IpAddress::v4(ip), port);
  }
  static std::unique_ptr<Responder> open(const common::IpAddress& ip, uint16_t port = 0) {
    auto r = std::make_unique<Responder>();
    r->fd.reset(::socket(ip.isV4() ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0));
    common::SocketAddress a{ip, port};
    sockaddr_storage ss{};
    socklen_t len = a.toSockaddr(ss, ip.isV6());
    if (::bind(r->fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) return nullptr;
    len = sizeof ss;
    ::getsockname(r->fd.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    r->address = *common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
    return r;
  }

  void serve() {
    uint8_t buf[512];
    for (;;) {
      sockaddr_storage from{};
      socklen_t flen = sizeof from;
      ssize_t n =
          ::recvfrom(fd.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &flen);
      if (n < 0) return;
      ++requests;
      if (n < 48 || behaviour == Behaviour::kSilent) continue;
      proto::NtpHeader req = proto::decodeHeader(std::span<const uint8_t, 48>(buf, 48));
      SysTime now = common::realtimeNow() + offset;
      proto::NtpHeader h;
      h.version = req.version;
      h.mode = proto::NtpMode::kServer;
      h.stratum = 2;
      h.poll = req.poll;
      h.precision = -20;
      h.reference_id = 0x0A000001;
      h.reference_time = common::NtpTimestamp::fromSysTime(now - kMs * 1000);
      h.origin_time = req.transmit_time;
      h.receive_time = common::NtpTimestamp::fromSysTime(now);
      h.transmit_time = common::NtpTimestamp::fromSysTime(now + Nanos(1000));
      if (behaviour == Behaviour::kDeny) {
        h.stratum = 0;
        h.reference_id = proto::kiss::kDeny;
      }
      if (behaviour == Behaviour::kUnsynchronised) h.leap = proto::LeapIndicator::kUnsynchronized;
      uint8_t out[48];
      proto::encodeHeader(h, out);
      size_t len = behaviour == Behaviour::kMalformed ? 30 : 48;
      ::sendto(fd.get(), out, len, 0, reinterpret_cast<sockaddr*>(&from), flen);
      if (behaviour == Behaviour::kDuplicate) {
        ::sendto(fd.get(), out, len, 0, reinterpret_cast<sockaddr*>(&from), flen);
      }
    }
  }
};

struct Rig {
  explicit Rig(NtpClientOptions options = {}, ResolveFn resolve = systemResolve)
      : clock(common::realtimeNow(), 0.0),
        tk({}, clock, nullptr, common::realtimeNow()),
        client(
            tk, options,
            [this](std::function<void()> f) {
              std::lock_guard lock(mu);
              posted.push_back(std::move(f));
            },
            std::move(resolve)) {}

  // Runs the client, the responders and posted work for `d` of real time, or until `done`.
  void run(Nanos d, const std::function<bool()>& done = nullptr) {
    SysTime end = common::realtimeNow() + d;
    while (common::realtimeNow() < end) {
      std::vector<pollfd> fds;
      fds.push_back({client.fd(), POLLIN, 0});
      for (auto* r : responders) fds.push_back({r->fd.get(), POLLIN, 0});
      ::poll(fds.data(), fds.size(), 2);
      if (fds[0].revents) client.onReadable();
      for (size_t i = 0; i < responders.size(); ++i) {
        if (fds[i + 1].revents) responders[i]->serve();
      }
      std::vector<std::function<void()>> batch;
      {
        std::lock_guard lock(mu);
        batch.swap(posted);
      }
      for (auto& f : batch) f();
      tk.step(common::realtimeNow());
      if (done && done()) return;
    }
  }

  SoftwareClock clock;
  TimeKeeper tk;
  std::mutex mu;
  std::vector<std::function<void()>> posted;
  NtpClient client;
  std::vector<Responder*> responders;
};

NtpSpec fastSpec(const std::string& name, uint16_t port) {
  NtpSpec s;
  s.name = name;
  s.port = port;
  s.protocol.poll.minpoll_log2 = -6;  // 16 ms
  s.protocol.poll.maxpoll_log2 = -6;
  s.protocol.local_precision_log2 = -24;
  return s;
}

size_t verdictCount(const NtpClient& c, SourceId id, Verdict v) {
  const VerdictCounters* vc = c.verdicts(id);
  return vc ? (*vc)[static_cast<size_t>(v)] : 0;
}

TEST(NtpClientTest, SynchronisesToALiteralServerWithKernelTimestamps) {
  auto server = Responder::open(0x7F000001);
  ASSERT_TRUE(server);
  server->offset = kMs * 37;
  Rig rig;
  rig.responders = {server.get()};
  ASSERT_TRUE(rig.client.add(fastSpec("127.0.0.1", server->address.port)));
  ASSERT_TRUE(rig.client.start());
  rig.run(kMs * 3000, [&] { return rig.tk.synchronised() && server->requests >= 30; });
  ASSERT_EQ(rig.client.members().size(), 1u);
  SourceId id = rig.client.members()[0].id;
  EXPECT_GE(verdictCount(rig.client, id, Verdict::kGood), 10u);
  EXPECT_TRUE(rig.tk.synchronised());
  auto sources = rig.tk.sources(common::realtimeNow());
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].name, "127.0.0.1");
  EXPECT_EQ(sources[0].kind, SourceKind::kServer);
  EXPECT_EQ(sources[0].refid, proto::refIdFromAddress(common::IpAddress::v4(0x7F000001)));
  EXPECT_NE(sources[0].reach, 0);
  EXPECT_EQ(sources[0].state_char, '*');
  auto nd = rig.client.ntpData(common::IpAddress::v4(0x7F000001));
  ASSERT_TRUE(nd);
  EXPECT_EQ(nd->remote_port, server->address.port);
  EXPECT_EQ(nd->stratum, 2);
  EXPECT_EQ(nd->tx_timestamping, 'K');
  EXPECT_EQ(nd->rx_timestamping, 'K');
  EXPECT_EQ(nd->tests, 0x3FF);
  // chronyc's sign: + = local ahead. The responder is 37 ms ahead of our clock.
  EXPECT_NEAR(nd->offset_s, -0.037, 0.001);
  EXPECT_GE(nd->total_good_rx, 10u);
  EXPECT_EQ(nd->local_address, "127.0.0.1");
  const SourceTotals* t = rig.client.totals(id);
  ASSERT_NE(t, nullptr);
  EXPECT_GE(t->kernel_tx, t->tx - 2);  // every send but possibly the last got its stamp
  ActivityReport a = rig.client.activity();
  EXPECT_EQ(a.online, 1);
  EXPECT_EQ(a.unresolved, 0);
}

TEST(NtpClientTest, SynchronisesOverIpv6Loopback) {
  auto server = Responder::open(*common::IpAddress::parse("::1"));
  if (!server) GTEST_SKIP() << "no IPv6 loopback here";
  server->offset = kMs * 5;
  Rig rig;
  rig.responders = {server.get()};
  ASSERT_TRUE(rig.client.add(fastSpec("::1", server->address.port)));
  ASSERT_TRUE(rig.client.start());
  rig.run(kMs * 3000, [&] { return rig.tk.synchronised() && server->requests >= 20; });
  EXPECT_TRUE(rig.tk.synchronised());
  auto nd = rig.client.ntpData(*common::IpAddress::parse("::1"));
  ASSERT_TRUE(nd);
  EXPECT_EQ(nd->remote_address, "::1");
  EXPECT_NEAR(nd->offset_s, -0.005, 0.001);
  EXPECT_EQ(nd->rx_timestamping, 'K');
}

TEST(NtpClientTest, EveryRequestComesFromANewPort) {
  auto server = Responder::open(0x7F000001);
  ASSERT_TRUE(server);
  Rig rig;
  ASSERT_TRUE(rig.client.add(fastSpec("127.0.0.1", server->address.port)));
  ASSERT_TRUE(rig.client.start());
  std::set<uint16_t> ports;
  rig.run(kMs * 2000, [&] {
    uint8_t buf[64];
    sockaddr_in from{};
    socklen_t len = sizeof from;
    while (::recvfrom(server->fd.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from),
                      &len) > 0) {
      ports.insert(ntohs(from.sin_port));
      len = sizeof from;
    }
    return ports.size() >= 5;
  });
  EXPECT_GE(ports.size(), 5u);
}

TEST(NtpClientTest, SharedSocketCountsDatagramsFromStrangers) {
  auto server = Responder::open(0x7F000001);
  ASSERT_TRUE(server);
  // Find a free port for the acquisition socket.
  uint16_t port;
  {
    auto probe = Responder::open(0x7F000001);
    port = probe->address.port;
  }
  NtpClientOptions o;
  o.acquisition_port = port;
  Rig rig(o);
  rig.responders = {server.get()};
  ASSERT_TRUE(rig.client.add(fastSpec("127.0.0.1", server->address.port)));
  ASSERT_TRUE(rig.client.start());
  // A stranger (same address, other port) sprays server-looking packets at the client port.
  auto stranger = Responder::open(0x7F000001);
  rig.run(kMs * 300);
  common::SocketAddress client{common::IpAddress::v4(0x7F000001), port};
  sockaddr_storage ss{};
  socklen_t len = client.toSockaddr(ss);
  uint8_t junk[48] = {0x24, 2};
  for (int i = 0; i < 20; ++i) {
    ::sendto(stranger->fd.get(), junk, sizeof junk, 0, reinterpret_cast<sockaddr*>(&ss), len);
  }
  rig.run(kMs * 500);
  EXPECT_EQ(rig.client.counters().wrong_source, 20u);
  SourceId id = rig.client.members()[0].id;
  EXPECT_GE(verdictCount(rig.client, id, Verdict::kGood), 5u);
  EXPECT_EQ(verdictCount(rig.client, id, Verdict::kBogus), 0u);
}

TEST(NtpClientTest, BadResponsesAreCountedAndNeverSynchronise) {
  for (Behaviour b : {Behaviour::kMalformed, Behaviour::kUnsynchronised, Behaviour::kDuplicate}) {
    auto server = Responder::open(0x7F000001);
    ASSERT_TRUE(server);
    server->behaviour = b;
    Rig rig;
    rig.responders = {server.get()};
    ASSERT_TRUE(rig.client.add(fastSpec("127.0.0.1", server->address.port)));
    ASSERT_TRUE(rig.client.start());
    rig.run(kMs * 400);
    SourceId id = rig.client.members()[0].id;
    if (b == Behaviour::kDuplicate) {
      EXPECT_GE(verdictCount(rig.client, id, Verdict::kDuplicate), 5u);
      EXPECT_GE(verdictCount(rig.client, id, Verdict::kGood), 5u);
    } else {
      Verdict expect = b == Behaviour::kMalformed ? Verdict::kMalformed : Verdict::kUnsynchronised;
      EXPECT_GE(verdictCount(rig.client, id, expect), 5u) << verdictName(expect);
      EXPECT_EQ(verdictCount(rig.client, id, Verdict::kGood), 0u);
      EXPECT_FALSE(rig.tk.synchronised());
      EXPECT_EQ(rig.tk.sources(common::realtimeNow())[0].reach, 0);
    }
  }
}

TEST(NtpClientTest, DenyStopsPollingALiteralServer) {
  auto server = Responder::open(0x7F000001);
  ASSERT_TRUE(server);
  server->behaviour = Behaviour::kDeny;
  Rig rig;
  rig.responders = {server.get()};
  ASSERT_TRUE(rig.client.add(fastSpec("127.0.0.1", server->address.port)));
  ASSERT_TRUE(rig.client.start());
  rig.run(kMs * 300);
  EXPECT_EQ(server->requests, 1);
  ASSERT_EQ(rig.client.members().size(), 1u);
  EXPECT_TRUE(rig.client.members()[0].stopped);
  EXPECT_EQ(rig.tk.sources(common::realtimeNow())[0].reach, 0);
  EXPECT_EQ(rig.client.activity().offline, 1);
}

TEST(NtpClientTest, PoolResolvesOffThreadAndReplacesAnUnreachableMember) {
  auto a = Responder::open(0x7F000002);
  ASSERT_TRUE(a);
  const uint16_t port = a->address.port;
  auto b = Responder::open(0x7F000003, port);
  auto c = Responder::open(0x7F000004, port);
  ASSERT_TRUE(b && c);
  std::mutex mu;
  Addresses answer = {a->address.ip, b->address.ip};
  int lookups = 0;
  Rig rig({}, [&](const std::string& name) -> common::Result<Addresses> {
    std::lock_guard lock(mu);
    ++lookups;
    if (name != "pool.test") return common::makeError("unknown");
    return answer;
  });
  rig.responders = {a.get(), b.get(), c.get()};
  NtpSpec spec = fastSpec("pool.test", port);
  spec.pool = true;
  spec.max_sources = 2;
  ASSERT_TRUE(rig.client.add(spec));
  ASSERT_TRUE(rig.client.start());
  EXPECT_EQ(rig.client.activity().unresolved, 2);
  rig.run(kMs * 1000, [&] { return a->requests > 5 && b->requests > 5; });
  ASSERT_EQ(rig.client.members().size(), 2u);
  EXPECT_EQ(rig.client.activity().online, 2);

  // b goes silent; the resolver now also knows c.
  b->behaviour = Behaviour::kSilent;
  {
    std::lock_guard lock(mu);
    answer = {a->address.ip, b->address.ip, c->address.ip};
  }
  rig.run(kMs * 3000, [&] { return c->requests > 5; });
  EXPECT_GT(c->requests, 5);
  EXPECT_EQ(rig.client.counters().replacements, 1u);
  auto members = rig.client.members();
  ASSERT_EQ(members.size(), 3u);
  int retired = 0;
  for (const auto& m : members) {
    if (m.retired) {
      ++retired;
      EXPECT_EQ(m.address.ip, b->address.ip);
      EXPECT_EQ(rig.tk.sources(common::realtimeNow())[m.id].reach, 0);
    }
  }
  EXPECT_EQ(retired, 1);
  EXPECT_EQ(rig.client.activity().online, 2);
}

TEST(NtpClientTest, ResolutionFailuresAreRetriedAndCounted) {
  auto server = Responder::open(0x7F000001);
  ASSERT_TRUE(server);
  std::atomic<int> lookups{0};
  NtpClientOptions o;
  o.resolve_retry_min = kMs * 50;
  Rig rig(o, [&](const std::string&) -> common::Result<Addresses> {
    if (++lookups < 3) return common::makeError("temporary failure in name resolution");
    return Addresses{common::IpAddress::v4(0x7F000001)};
  });
  rig.responders = {server.get()};
  ASSERT_TRUE(rig.client.add(fastSpec("ntp.test", server->address.port)));
  ASSERT_TRUE(rig.client.start());
  EXPECT_EQ(rig.client.activity().unresolved, 1);
  rig.run(kMs * 2000, [&] { return server->requests >= 3; });
  EXPECT_EQ(lookups.load(), 3);
  EXPECT_EQ(rig.client.counters().resolve_failures, 2u);
  EXPECT_EQ(rig.client.counters().resolutions, 1u);
  EXPECT_GE(server->requests, 3);
  EXPECT_EQ(rig.client.activity().unresolved, 0);
}

TEST(NtpClientTest, UnreachableServerBacksOffAndCountsIcmpErrors) {
  // Nobody listens on this port: every request draws a port-unreachable.
  uint16_t port;
  {
    auto probe = Responder::open(0x7F000001);
    port = probe->address.port;
  }
  Rig rig;
  NtpSpec spec = fastSpec("127.0.0.1", port);
  spec.protocol.poll.maxpoll_log2 = -4;
  ASSERT_TRUE(rig.client.add(spec));
  ASSERT_TRUE(rig.client.start());
  rig.run(kMs * 1500);
  auto sources = rig.tk.sources(common::realtimeNow());
  EXPECT_EQ(sources[0].reach, 0);
  EXPECT_EQ(sources[0].poll_log2, -4);  // backed off to maxpoll
  EXPECT_GT(rig.client.counters().icmp_errors, 0u);
  EXPECT_FALSE(rig.tk.synchronised());
}

TEST(NtpClientTest, AddRejectsBadSpecsAndLateAdds) {
  Rig rig;
  EXPECT_FALSE(rig.client.add(NtpSpec{}));
  NtpSpec s = fastSpec("127.0.0.1", 0);
  EXPECT_FALSE(rig.client.add(s));
  ASSERT_TRUE(rig.client.start());
  EXPECT_FALSE(rig.client.add(fastSpec("127.0.0.1", 123)));
}

}  // namespace
}  // namespace strata::refclock::ntp
