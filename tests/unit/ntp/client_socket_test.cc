// ClientSocket's TX stamp keys after a refused send, against the real kernel: a firewall's
// drop (EPERM) uses up an OPT_ID although nothing is sent, and the key of the next report
// must still be the one send() gave. Runs in a child process in a network namespace of its
// own (unshare), with an nft rule there; skips without root, nft or namespaces.
#include "refclock/ntp/client_socket.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace strata::refclock::ntp {
namespace {

constexpr int kSkip = 77;

// Child exit codes: 0 passed, kSkip could not set up, anything else failed (said on stderr).
int fail(const char* what) {
  std::fprintf(stderr, "%s (%s)\n", what, std::strerror(errno));
  return 1;
}

bool bringLoopbackUp() {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags |= IFF_UP;
  ok = ok && ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  close(fd);
  return ok;
}

uint16_t boundLoopbackPort(int fd) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    return 0;
  }
  return ntohs(a.sin_port);
}

int keysAfterAFirewallDrop() {
  if (unshare(CLONE_NEWNET) != 0 || !bringLoopbackUp()) return kSkip;
  int open_sink = socket(AF_INET, SOCK_DGRAM, 0);
  int blocked_sink = socket(AF_INET, SOCK_DGRAM, 0);
  const uint16_t open_port = boundLoopbackPort(open_sink);
  const uint16_t blocked_port = boundLoopbackPort(blocked_sink);
  if (open_port == 0 || blocked_port == 0) return fail("bind");
  const std::string rules =
      "nft 'add table inet strata_test' && "
      "nft 'add chain inet strata_test out { type filter hook output priority 0 ; }' && "
      "nft 'add rule inet strata_test out udp dport " + std::to_string(blocked_port) + " drop'";
  if (std::system(rules.c_str()) != 0) return kSkip;

  auto sock = ClientSocket::openShared(common::IpAddress::Family::kV4, 0);
  if (!sock) return fail("openShared");
  const uint8_t packet[48] = {0x23};
  const auto loopback = *common::IpAddress::parse("127.0.0.1");
  const common::SocketAddress blocked{loopback, blocked_port};
  const common::SocketAddress open{loopback, open_port};

  auto first = sock->send(packet, &open);
  if (!first || first->tx_key != 0) return fail("first send");
  if (sock->send(packet, &blocked)) return fail("the nft rule did not refuse the send");
  auto after = sock->send(packet, &open);
  if (!after) return fail("send after the refusal");

  // Reports: the first datagram's, then the one after the refusal's, with the key given.
  uint32_t ids[2];
  for (uint32_t& id : ids) {
    pollfd p{sock->fd(), 0, 0};
    if (poll(&p, 1, 1000) != 1) return fail("no TX timestamp report");
    auto ts = sock->receiveTxTimestamp();
    if (!ts) return fail("no TX timestamp report");
    id = ts->id;
  }
  if (ids[0] != 0) return fail("first report's key");
  if (ids[1] != after->tx_key) {
    std::fprintf(stderr, "report key %u, send() gave %u\n", ids[1], after->tx_key);
    return 1;
  }
  if (sock->keyRestarts() != 1) return fail("keyRestarts");
  return 0;
}

TEST(ClientSocketKeys, AFirewallDropDoesNotShiftTheNextReportsKey) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (network namespace, nft)";
  if (std::system("command -v nft >/dev/null 2>&1") != 0) GTEST_SKIP() << "nft not found";
  std::fflush(nullptr);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(keysAfterAFirewallDrop());
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == kSkip) GTEST_SKIP() << "no network namespace or nft rule here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "see the child's message above";
}

}  // namespace
}  // namespace strata::refclock::ntp
