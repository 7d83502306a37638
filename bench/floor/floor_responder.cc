// ntp-floor-responder: the least an NTP responder can do, to mark the kernel's floor on the
// machine at hand. recvmmsg -> turn each request into a reply (mode 4, origin = request's
// transmit, receive = transmit = one clock read) -> sendmmsg. No validation, no access
// control, no timestamps from the kernel, no client state: nothing but the syscalls.
// Not a server anyone should run; a yardstick for bench/compare.
// With `rx-timestamps` it also asks the kernel for software receive timestamps (and reads
// them with each datagram, unused): the floor of a server that stamps its receptions
// precisely, to tell that cost from the rest of a real server's.
// With `tx-timestamps` it asks the kernel for a software transmit timestamp of every reply
// (numbered, OPT_ID) and reads each report back from the error queue after the batch's send,
// with no room for the packet, as stratad does for interleaved clients; the stamps go unused.
// That is the floor of a server that stamps every reply precisely: with `rx-timestamps`, the
// least an interleaved-mode server must pay the kernel per reply.
// With `no-fragment` its replies may not be fragmented (IP_PMTUDISC_PROBE, as stratad's): an
// IPv4 reply then goes out with IP ID 0 and the kernel skips its shared IP ID generator.
// That is the floor for a server that asks the kernel for that much less work.
//
// usage: ntp-floor-responder ADDRESS PORT [THREADS] [BATCH] [rx-timestamps] [tx-timestamps]
//                            [no-fragment]
#include <arpa/inet.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

namespace {

std::atomic<bool> g_stop{false};

void onSignal(int) { g_stop = true; }

uint64_t ntpNow() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t sec = static_cast<uint64_t>(ts.tv_sec) + 2208988800u;
  uint64_t frac = (static_cast<uint64_t>(ts.tv_nsec) << 32) / 1000000000u;
  return (sec << 32) | frac;
}

void put64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

constexpr size_t kControlBytes = 128;

// Reads and drops the TX-stamp reports of the replies just sent: `count` of them, fewer if
// the kernel dropped some (a full receive buffer), so it stops at the first empty read.
void drainTxReports(int fd, std::vector<mmsghdr>& reports, std::vector<uint8_t>& control,
                    unsigned count) {
  while (count > 0) {
    for (unsigned i = 0; i < count; ++i) {
      reports[i].msg_hdr = msghdr{};
      reports[i].msg_hdr.msg_control = &control[i * kControlBytes];
      reports[i].msg_hdr.msg_controllen = kControlBytes;
    }
    int n = recvmmsg(fd, reports.data(), count, MSG_ERRQUEUE | MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    count -= static_cast<unsigned>(n);
  }
}

void serve(int fd, unsigned batch, bool rx_timestamps, bool tx_timestamps) {
  std::vector<uint8_t> bufs(batch * 2048);
  std::vector<uint8_t> control(rx_timestamps ? batch * kControlBytes : 0);
  std::vector<sockaddr_in6> peers(batch);
  std::vector<iovec> iov(batch);
  std::vector<mmsghdr> msgs(batch);
  std::vector<mmsghdr> reports(tx_timestamps ? batch : 0);
  std::vector<uint8_t> report_control(tx_timestamps ? batch * kControlBytes : 0);
  timeval tv{0, 200000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  while (!g_stop) {
    for (unsigned i = 0; i < batch; ++i) {
      iov[i] = {&bufs[i * 2048], 2048};
      msgs[i].msg_hdr = msghdr{};
      msgs[i].msg_hdr.msg_name = &peers[i];
      msgs[i].msg_hdr.msg_namelen = sizeof peers[i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      if (rx_timestamps) {
        msgs[i].msg_hdr.msg_control = &control[i * kControlBytes];
        msgs[i].msg_hdr.msg_controllen = kControlBytes;
      }
    }
    int n = recvmmsg(fd, msgs.data(), batch, MSG_WAITFORONE, nullptr);
    if (n <= 0) continue;
    uint64_t now = ntpNow();
    int out = 0;
    for (int i = 0; i < n; ++i) {
      uint8_t* p = &bufs[i * 2048];
      if (msgs[i].msg_len < 48) continue;
      p[0] = static_cast<uint8_t>((p[0] & 0x38) | 4);
      p[1] = 1;
      std::memcpy(p + 24, p + 40, 8);
      put64(p + 32, now | 1);
      put64(p + 40, now & ~uint64_t{1});
      iov[i].iov_len = 48;
      if (out != i) msgs[out] = msgs[i];
      msgs[out].msg_hdr.msg_iov = &iov[i];
      msgs[out].msg_hdr.msg_control = nullptr;  // the receive timestamp is not sent back
      msgs[out].msg_hdr.msg_controllen = 0;
      ++out;
    }
    const int sent = out > 0 ? sendmmsg(fd, msgs.data(), out, 0) : 0;
    if (tx_timestamps && sent > 0) {
      drainTxReports(fd, reports, report_control, static_cast<unsigned>(sent));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: %s ADDRESS PORT [THREADS] [BATCH] [rx-timestamps] [tx-timestamps] "
                 "[no-fragment]\n",
                 argv[0]);
    return 2;
  }
  unsigned threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 1;
  unsigned batch = argc > 4 ? static_cast<unsigned>(std::atoi(argv[4])) : 32;
  if (threads < 1) threads = 1;
  if (batch < 1 || batch > 1024) batch = 32;
  bool rx_timestamps = false;
  bool tx_timestamps = false;
  bool no_fragment = false;
  for (int i = 5; i < argc; ++i) {
    if (std::strcmp(argv[i], "rx-timestamps") == 0) {
      rx_timestamps = true;
    } else if (std::strcmp(argv[i], "tx-timestamps") == 0) {
      tx_timestamps = true;
    } else if (std::strcmp(argv[i], "no-fragment") == 0) {
      no_fragment = true;
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  signal(SIGTERM, onSignal);
  signal(SIGINT, onSignal);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
    std::fprintf(stderr, "bad IPv4 address %s\n", argv[1]);
    return 2;
  }
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    int bytes = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes);
    if (rx_timestamps || tx_timestamps) {
      int flags = SOF_TIMESTAMPING_SOFTWARE;
      if (rx_timestamps) flags |= SOF_TIMESTAMPING_RX_SOFTWARE;
      if (tx_timestamps) flags |= SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_OPT_ID;
      if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, &flags, sizeof flags) != 0) {
        std::perror("SO_TIMESTAMPING");
        return 1;
      }
    }
    const int probe = IP_PMTUDISC_PROBE;
    if (no_fragment && setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &probe, sizeof probe) != 0) {
      std::perror("IP_MTU_DISCOVER");
      return 1;
    }
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      std::perror("bind");
      return 1;
    }
    workers.emplace_back(serve, fd, batch, rx_timestamps, tx_timestamps);
  }
  for (auto& w : workers) w.join();
  return 0;
}
