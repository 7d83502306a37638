#include "server/control/control_server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "proto/cmdmon/reply_codec.h"
#include "proto/cmdmon/request_codec.h"
#include "tests/unit/cmdmon/golden.h"
#include "tests/unit/control/fake_backend.h"

namespace strata::server::control {
namespace {

namespace cm = proto::cmdmon;
using cm::testing::readGolden;
using testing::FakeBackend;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/strata-control-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs the server's wake-ups until `done` or the deadline.
template <class Done>
void pump(ControlServer& server, std::chrono::milliseconds limit, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    pollfd p{server.fds().at(0), POLLIN, 0};
    if (poll(&p, 1, 5) > 0) server.onReadable(p.fd);
  }
}

void pumpFor(ControlServer& server, std::chrono::milliseconds d) {
  pump(server, d, [] { return false; });
}

sockaddr_un unixAddress(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
  return a;
}

// A client socket: bound to `bind_path`, to an abstract address if "@", or unbound if "".
common::UniqueFd unixClient(const std::string& bind_path) {
  common::UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (bind_path == "@") {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    EXPECT_EQ(bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(sa_family_t)), 0);
  } else if (!bind_path.empty()) {
    const sockaddr_un a = unixAddress(bind_path);
    EXPECT_EQ(bind(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
  }
  return fd;
}

std::optional<cm::Reply> exchange(ControlServer& server, int client, const sockaddr* to,
                                  socklen_t to_len, const std::vector<uint8_t>& request) {
  EXPECT_EQ(sendto(client, request.data(), request.size(), 0, to, to_len),
            static_cast<ssize_t>(request.size()));
  uint8_t buf[2048];
  ssize_t n = -1;
  pump(server, std::chrono::milliseconds(1000), [&] {
    n = recv(client, buf, sizeof buf, MSG_DONTWAIT);
    return n >= 0;
  });
  if (n < 0) return std::nullopt;
  EXPECT_LE(static_cast<size_t>(n), request.size());
  return cm::decodeReply(std::span<const uint8_t>(buf, static_cast<size_t>(n))).reply;
}

uint16_t freeUdpPort() {
  common::UniqueFd s(socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s.get(), reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

ControlServerOptions unixOnly(const std::string& path) {
  ControlServerOptions o;
  o.socket_path = path;
  o.udp_port = 0;
  return o;
}

TEST(ControlServer, CreatesItsDirectoryAndSocketWithTheConfiguredModes) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/run/strata";
  FakeBackend backend;
  ControlServerOptions o = unixOnly(dir + "/stratad.sock");
  o.socket_group = getgid();
  {
    ControlServer server(backend, o);
    ASSERT_TRUE(server.open()) << "open";
    struct stat st;
    ASSERT_EQ(stat(dir.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0750u);
    EXPECT_EQ(st.st_gid, getgid());
    ASSERT_EQ(lstat(o.socket_path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0660u);
  }
  EXPECT_FALSE(std::filesystem::exists(o.socket_path));  // removed on destruction
}

TEST(ControlServer, AnswersAChronycStyleClientBoundInTheSocketDirectory) {
  TempDir tmp;
  FakeBackend backend;
  ControlServer server(backend, unixOnly(tmp.path() + "/stratad.sock"));
  ASSERT_TRUE(server.open());
  const auto client = unixClient(tmp.path() + "/chronyc.123.sock");
  const sockaddr_un to = unixAddress(tmp.path() + "/stratad.sock");
  const auto reply = exchange(server, client.get(), reinterpret_cast<const sockaddr*>(&to),
                              sizeof to, readGolden("tracking.bin"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->header.reply, cm::rpy::kTracking);
  EXPECT_EQ(std::get<cm::TrackingReply>(reply->body).stratum, 3);
  // Modifying commands are allowed here.
  const auto step = exchange(server, client.get(), reinterpret_cast<const sockaddr*>(&to),
                             sizeof to, readGolden("makestep.bin"));
  ASSERT_TRUE(step);
  EXPECT_EQ(step->header.status, 0);
  EXPECT_EQ(backend.makestep_calls, 1);
}

TEST(ControlServer, AnswersAnAbstractAddressAndDropsUnboundClients) {
  TempDir tmp;
  FakeBackend backend;
  ControlServer server(backend, unixOnly(tmp.path() + "/stratad.sock"));
  ASSERT_TRUE(server.open());
  const sockaddr_un to = unixAddress(tmp.path() + "/stratad.sock");
  const auto abstract = unixClient("@");
  ASSERT_TRUE(exchange(server, abstract.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to,
                       readGolden("activity.bin")));
  const auto unbound = unixClient("");
  EXPECT_FALSE(exchange(server, unbound.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to,
                        readGolden("activity.bin")));
  const CommandCounters c = server.counters();
  EXPECT_EQ(c.drops[static_cast<size_t>(CommandDrop::kNoReturnAddress)], 1u);
  EXPECT_EQ(c.received, 2u);
}

TEST(ControlServer, ReplacesAStaleSocketButNotALiveOne) {
  TempDir tmp;
  const std::string path = tmp.path() + "/stratad.sock";
  {
    // A socket file left behind by a process that is gone.
    const auto stale = unixClient(path);
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  FakeBackend backend;
  ControlServer first(backend, unixOnly(path));
  ASSERT_TRUE(first.open());
  ControlServer second(backend, unixOnly(path));
  const auto r = second.open();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("another daemon"), std::string::npos) << r.error().message;

  const std::string not_socket = tmp.path() + "/file";
  std::fclose(std::fopen(not_socket.c_str(), "w"));
  ControlServer third(backend, unixOnly(not_socket));
  EXPECT_FALSE(third.open());
}

TEST(ControlServer, UdpIsLoopbackAndReadOnly) {
  FakeBackend backend;
  ControlServerOptions o;
  o.socket_path.clear();
  o.udp_port = freeUdpPort();
  o.udp_addresses = {common::IpAddress::loopbackV4()};
  ControlServer server(backend, o);
  ASSERT_TRUE(server.open());
  ASSERT_EQ(server.udpAddresses().size(), 1u);
  common::UniqueFd client(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0));
  sockaddr_storage to;
  const socklen_t to_len = server.udpAddresses()[0].toSockaddr(to);
  const auto tracking = exchange(server, client.get(), reinterpret_cast<sockaddr*>(&to), to_len,
                                 readGolden("tracking.bin"));
  ASSERT_TRUE(tracking);
  EXPECT_EQ(tracking->header.reply, cm::rpy::kTracking);
  const auto step = exchange(server, client.get(), reinterpret_cast<sockaddr*>(&to), to_len,
                             readGolden("makestep.bin"));
  ASSERT_TRUE(step);
  EXPECT_EQ(step->header.status, static_cast<uint16_t>(cm::Status::kUnauthorised));
  EXPECT_EQ(backend.makestep_calls, 0);
}

TEST(ControlServer, AFloodIsReadAtTheBudgetAndTheSocketIsPausedMeanwhile) {
  FakeBackend backend;
  ControlServerOptions o;
  o.socket_path.clear();
  o.udp_port = freeUdpPort();
  o.udp_addresses = {common::IpAddress::loopbackV4()};
  o.processor.max_requests_per_second = 200;
  o.processor.burst = 20;
  ControlServer server(backend, o);
  ASSERT_TRUE(server.open());
  common::UniqueFd client(socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0));
  int rcvbuf = 4 << 20;
  setsockopt(client.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_storage to;
  const socklen_t to_len = server.udpAddresses()[0].toSockaddr(to);
  const auto request = readGolden("tracking.bin");
  // More than the server's socket buffer holds: the kernel drops the excess.
  constexpr int kFlood = 5000;
  int sent = 0;
  for (int i = 0; i < kFlood; ++i) {
    sent += sendto(client.get(), request.data(), request.size(), 0,
                   reinterpret_cast<sockaddr*>(&to), to_len) > 0;
  }
  const auto start = std::chrono::steady_clock::now();
  // Right after the burst the server's descriptor goes quiet although datagrams wait.
  pump(server, std::chrono::milliseconds(200), [&] { return server.counters().replied >= 20; });
  pollfd p{server.fds()[0], POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 0) << "paused server still readable";
  pumpFor(server, std::chrono::milliseconds(300));
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int replies = 0;
  uint8_t buf[256];
  while (recv(client.get(), buf, sizeof buf, MSG_DONTWAIT) > 0) ++replies;
  const CommandCounters c = server.counters();
  // At most burst + rate * elapsed requests were answered.
  EXPECT_LE(replies, 20 + static_cast<int>(200 * elapsed) + 2);
  EXPECT_GE(replies, 20 + static_cast<int>(200 * 0.3) / 2);
  EXPECT_EQ(c.replied, static_cast<uint64_t>(replies));
  EXPECT_EQ(c.received, c.replied + c.dropped);
  // What the kernel dropped meanwhile was counted; the rest still waits in the buffer.
  EXPECT_GT(c.drops[static_cast<size_t>(CommandDrop::kQueueOverflow)], 0u)
      << "sent " << sent << " received " << c.received;
  EXPECT_LT(c.received, static_cast<uint64_t>(sent));
}

TEST(ControlServer, RunsInAnEventThread) {
  TempDir tmp;
  FakeBackend backend;
  ControlServer server(backend, unixOnly(tmp.path() + "/stratad.sock"));
  ASSERT_TRUE(server.open());
  EventThread thread;
  ASSERT_TRUE(thread.start({&server}));
  const auto client = unixClient("@");
  const sockaddr_un to = unixAddress(tmp.path() + "/stratad.sock");
  const auto request = readGolden("n_sources.bin");
  ASSERT_EQ(sendto(client.get(), request.data(), request.size(), 0,
                   reinterpret_cast<const sockaddr*>(&to), sizeof to),
            static_cast<ssize_t>(request.size()));
  pollfd p{client.get(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 2000), 1);
  uint8_t buf[256];
  const ssize_t n = recv(client.get(), buf, sizeof buf, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::get<cm::NSourcesReply>(
                cm::decodeReply(std::span<const uint8_t>(buf, static_cast<size_t>(n))).reply.body)
                .n_sources,
            6u);
  thread.stop();
  EXPECT_FALSE(thread.running());
}

}  // namespace
}  // namespace strata::server::control
