#include "tools/strataperf/load_engine.h"

#include <fcntl.h>
#include <linux/net_tstamp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include "common/clock.h"
#include "common/unique_fd.h"
#include "hwts/cmsg_timestamps.h"
#include "hwts/socket_timestamping.h"
#include "tools/strataperf/client_state.h"
#include "tools/strataperf/pacing.h"
#include "tools/strataperf/reply_check.h"

namespace strata::perf {

namespace {

constexpr size_t kIdMapSize = 1 << 16;  // per socket: OPT_ID -> request sequence
constexpr int64_t kPacingWakeNs = 200'000;
constexpr long kReceivePauseNs = 500'000;
constexpr size_t kReplyBufferSize = 512;
constexpr uint8_t kFlagInterleaved = 1;
constexpr uint8_t kFlagTxRequested = 2;

uint64_t xorshift(uint64_t& s) {
  s ^= s >> 12;
  s ^= s << 25;
  s ^= s >> 27;
  return s * 0x2545F4914F6CDD1Dull;
}

common::Error sysError(const std::string& what) {
  return common::makeError(what + ": " + std::strerror(errno));
}

}  // namespace

// One request in flight. The sender fills it and publishes `seq` last (release); the
// receiver reads it after an acquire load of `seq` and re-checks `seq` afterwards. The
// rx_* fields belong to the receiver alone.
struct RequestRecord {
  std::atomic<uint64_t> seq{0};
  std::atomic<uint64_t> cookie{0};
  std::atomic<uint64_t> origin_sent{0};
  std::atomic<int64_t> send_time_ns{0};
  std::atomic<uint32_t> client{0};
  std::atomic<uint32_t> step{0};
  std::atomic<uint8_t> flags{0};
  // Receiver-owned.
  uint64_t rx_seq = 0;        // the request the fields below are about
  int64_t rx_our_tx_ns = 0;   // our kernel TX stamp, 0 = not yet
  uint64_t rx_server_rx = 0;  // the reply's receive timestamp, 0 = no reply yet
  bool rx_answered = false;
};

struct ClientSlot {
  ClientState state;                     // receiver-owned
  std::atomic<uint64_t> next_origin{0};  // published by the receiver for the sender
  uint32_t socket = 0;                   // constant
  common::IpAddress address;             // constant
  ClientMode mode = ClientMode::kBasic;  // constant
};

struct LaneSocket {
  common::UniqueFd fd;
  uint64_t next_tx_id = 0;  // sender-owned OPT_ID counter as the kernel counts
  std::unique_ptr<std::atomic<uint64_t>[]> id_to_seq;  // sender writes, receiver reads
  std::vector<uint32_t> clients;  // local client indexes sending from this socket
  size_t cursor = 0;              // sender-owned round robin position
};

struct LoadEngine::Lane {
  const EngineConfig* config = nullptr;
  int index = 0;
  std::vector<LaneSocket> sockets;
  std::unique_ptr<ClientSlot[]> clients;
  size_t client_count = 0;
  std::unique_ptr<RequestRecord[]> ring;
  uint64_t ring_mask = 0;
  uint64_t next_seq = 1;  // sender-owned
  uint64_t rng = 0;
  sockaddr_storage server_sa{};
  socklen_t server_sa_len = 0;

  // Per step.
  uint32_t step = 0;
  uint64_t step_first_seq = 0;
  StepCounters sender_counters;  // planned, sent, send_errors
  StepCounters receiver_counters;
  SampleSet rx_error{SampleSet::kDefaultCapacity / 4};
  SampleSet tx_basic{SampleSet::kDefaultCapacity / 4};
  SampleSet tx_interleaved{SampleSet::kDefaultCapacity / 4};
  std::atomic<uint64_t> live_sent{0};
  std::atomic<uint64_t> live_replies{0};
  std::atomic<bool> sender_done{false};
  std::atomic<int64_t> send_finished_ns{0};  // monotonic time the sender finished
  std::atomic<uint64_t> sent_total{0};

  void runSender(double rate_per_s, common::Nanos start, common::Nanos duration);
  void runReceiver(common::Nanos grace, common::Nanos hard_deadline);
  void sendBatch(LaneSocket& sock, size_t count);
  size_t drainErrorQueue(LaneSocket& sock);
  size_t drainReplies(LaneSocket& sock);
  void onReply(std::span<const uint8_t> data, const msghdr& msg);
  RequestRecord* recordFor(uint64_t seq);
};

namespace {

common::Result<common::UniqueFd> openClientSocket(const EngineConfig& config) {
  bool v6 = config.server.ip.isV6();
  common::UniqueFd fd(
      socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return sysError("socket");
  if (!config.hw_interface.empty()) {
    if (setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, config.hw_interface.c_str(),
                   static_cast<socklen_t>(config.hw_interface.size())) != 0) {
      return sysError("SO_BINDTODEVICE " + config.hw_interface);
    }
  }
  int bytes = 8 << 20;
  // Root may exceed rmem_max/wmem_max; others get what the sysctl allows.
  if (setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
  }
  if (setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes) != 0) {
    setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  }
  // Requests may not be fragmented. On IPv4 they then carry IP ID 0 and the kernel does not
  // touch its shared IP ID table, which a server on the same host may use for its replies;
  // real clients, on other hosts, never share it with the server.
  if (auto r = hwts::forbidFragmentation(fd.get(), v6); !r) return r.error();
  sockaddr_storage ss;
  socklen_t len =
      common::SocketAddress{v6 ? common::IpAddress::anyV6() : common::IpAddress::anyV4(), 0}
          .toSockaddr(ss, v6);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) return sysError("bind");
  hwts::SocketTimestampingOptions ts;
  ts.hardware = !config.hw_interface.empty();
  ts.tx = true;
  if (auto r = hwts::enableTimestamping(fd.get(), ts); !r) return r.error();
  if (auto r = hwts::enablePacketInfo(fd.get(), v6); !r) return r.error();
  return fd;
}

}  // namespace

LoadEngine::LoadEngine(const EngineConfig& config) : config_(config) {}
LoadEngine::~LoadEngine() = default;

common::Result<std::unique_ptr<LoadEngine>> LoadEngine::create(const EngineConfig& config) {
  std::unique_ptr<LoadEngine> engine(new LoadEngine(config));
  const EngineConfig& cfg = engine->config_;
  uint64_t threads = static_cast<uint64_t>(cfg.threads);
  // In-flight records: a quarter second of the top rate per lane (replies later than that
  // count as late), at least 64 Ki and at most 2 Mi records (about 160 MiB).
  double per_lane = cfg.max_rate_per_s / static_cast<double>(threads);
  uint64_t ring = std::clamp<uint64_t>(std::bit_ceil(static_cast<uint64_t>(per_lane * 0.25) + 1),
                                       uint64_t{1} << 16, uint64_t{1} << 21);
  for (int l = 0; l < cfg.threads; ++l) {
    auto lane = std::make_unique<Lane>();
    lane->config = &cfg;
    lane->index = l;
    lane->client_count = (cfg.clients + threads - 1 - static_cast<uint64_t>(l)) / threads;
    if (lane->client_count == 0) continue;  // more threads than clients
    lane->clients = std::make_unique<ClientSlot[]>(lane->client_count);
    size_t socket_count = std::min<size_t>(static_cast<size_t>(cfg.sockets), lane->client_count);
    for (size_t s = 0; s < socket_count; ++s) {
      auto fd = openClientSocket(cfg);
      if (!fd) return fd.error();
      LaneSocket sock;
      sock.fd = std::move(*fd);
      sock.id_to_seq = std::make_unique<std::atomic<uint64_t>[]>(kIdMapSize);
      lane->sockets.push_back(std::move(sock));
    }
    for (size_t j = 0; j < lane->client_count; ++j) {
      uint64_t global = j * threads + static_cast<uint64_t>(l);
      ClientSlot& c = lane->clients[j];
      c.socket = static_cast<uint32_t>(j % socket_count);
      c.address = clientAddress(cfg.source, global);
      c.mode = clientModeFor(cfg.mode, global);
      lane->sockets[c.socket].clients.push_back(static_cast<uint32_t>(j));
    }
    lane->ring = std::make_unique<RequestRecord[]>(ring);
    lane->ring_mask = ring - 1;
    lane->rng = 0x243F6A8885A308D3ull ^ (static_cast<uint64_t>(common::monotonicNow().count()) +
                                         static_cast<uint64_t>(l) * 0x9E3779B97F4A7C15ull);
    lane->server_sa_len = cfg.server.toSockaddr(lane->server_sa, cfg.server.ip.isV6());
    engine->lanes_.push_back(std::move(lane));
  }
  return engine;
}

uint64_t LoadEngine::liveSent() const {
  uint64_t n = 0;
  for (const auto& l : lanes_) n += l->live_sent.load(std::memory_order_relaxed);
  return n;
}

uint64_t LoadEngine::liveReplies() const {
  uint64_t n = 0;
  for (const auto& l : lanes_) n += l->live_replies.load(std::memory_order_relaxed);
  return n;
}

void LoadEngine::Lane::sendBatch(LaneSocket& sock, size_t count) {
  struct Slot {
    uint8_t payload[proto::kNtpHeaderSize];
    uint8_t control[hwts::kTxControlSize];
    iovec iov;
  };
  Slot slots[1024];
  mmsghdr msgs[1024];
  uint64_t seqs[1024];
  count = std::min<size_t>(count, 1024);
  const bool every_packet_counts = config->opt_id_counting == hwts::OptIdCounting::kEveryPacket;
  int64_t now_ns = common::nanosSinceEpoch(common::realtimeNow());
  uint64_t id = sock.next_tx_id;
  uint32_t tx_flags_base =
      config->hw_interface.empty() ? SOF_TIMESTAMPING_TX_SOFTWARE : SOF_TIMESTAMPING_TX_HARDWARE;
  for (size_t k = 0; k < count; ++k) {
    uint32_t j = sock.clients[sock.cursor];
    sock.cursor = sock.cursor + 1 == sock.clients.size() ? 0 : sock.cursor + 1;
    ClientSlot& client = clients[j];
    uint64_t seq = next_seq + k;
    seqs[k] = seq;
    uint64_t cookie = makeTransmitCookie(seq, xorshift(rng));
    uint64_t origin = client.mode == ClientMode::kInterleaved
                          ? client.next_origin.load(std::memory_order_relaxed)
                          : 0;
    RequestFields fields = requestFieldsFor(client.mode, origin, cookie);
    encodeRequest(fields, std::span<uint8_t, proto::kNtpHeaderSize>(slots[k].payload));
    bool want_tx = config->tx_sample == 1 || seq % static_cast<uint64_t>(config->tx_sample) == 0;

    RequestRecord& r = ring[seq & ring_mask];
    r.cookie.store(cookie, std::memory_order_relaxed);
    r.origin_sent.store(fields.origin, std::memory_order_relaxed);
    r.send_time_ns.store(now_ns, std::memory_order_relaxed);
    r.client.store(j, std::memory_order_relaxed);
    r.step.store(step, std::memory_order_relaxed);
    r.flags.store(
        static_cast<uint8_t>((client.mode == ClientMode::kInterleaved ? kFlagInterleaved : 0) |
                             (want_tx ? kFlagTxRequested : 0)),
        std::memory_order_relaxed);
    r.seq.store(seq, std::memory_order_release);
    if (want_tx || every_packet_counts) {
      if (want_tx) sock.id_to_seq[id % kIdMapSize].store(seq, std::memory_order_release);
      ++id;
    }

    slots[k].iov = {slots[k].payload, proto::kNtpHeaderSize};
    msghdr& m = msgs[k].msg_hdr;
    m = msghdr{};
    m.msg_name = &server_sa;
    m.msg_namelen = server_sa_len;
    m.msg_iov = &slots[k].iov;
    m.msg_iovlen = 1;
    m.msg_control = slots[k].control;
    m.msg_controllen =
        hwts::buildTxControl(slots[k].control, want_tx ? tx_flags_base : 0, client.address, 0);
    msgs[k].msg_len = 0;
  }
  size_t done = 0;
  while (done < count) {
    int n = sendmmsg(sock.fd.get(), msgs + done, static_cast<unsigned>(count - done), 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      break;  // EAGAIN/ENOBUFS or an error: the rest of the batch is not sent
    }
    done += static_cast<size_t>(n);
  }
  // Recount the OPT_ID counter over the datagrams that really left.
  for (size_t k = 0; k < done; ++k) {
    bool want_tx =
        (ring[seqs[k] & ring_mask].flags.load(std::memory_order_relaxed) & kFlagTxRequested) != 0;
    if (want_tx || every_packet_counts) ++sock.next_tx_id;
  }
  // Unsent requests keep their sequence numbers (their records never get replies).
  next_seq += count;
  sender_counters.sent += done;
  sender_counters.send_errors += count - done;
  live_sent.fetch_add(done, std::memory_order_relaxed);
  sent_total.fetch_add(done, std::memory_order_relaxed);
}

void LoadEngine::Lane::runSender(double rate_per_s, common::Nanos start, common::Nanos duration) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  const double lane_rate = rate_per_s / static_cast<double>(config->threads);
  const uint64_t planned =
      static_cast<uint64_t>(std::llround(lane_rate * common::toSeconds(duration)));
  sender_counters.planned = planned;
  PacingSchedule schedule(lane_rate, planned,
                          PacingSchedule::defaultMaxLag(lane_rate, config->batch));
  // Past this the step is over whatever was sent (and says so): stalls may stretch a step
  // by half its time at most.
  const common::Nanos hard_end = start + duration + duration / 2;
  uint64_t issued = 0;  // sent or failed
  size_t socket_index = 0;
  while (issued < planned) {
    common::Nanos now = common::monotonicNow();
    if (now >= hard_end) break;
    uint64_t due = schedule.dueAt(now - start, issued);
    while (issued < due) {
      size_t n = std::min<uint64_t>(due - issued, static_cast<uint64_t>(config->batch));
      LaneSocket& sock = sockets[socket_index];
      socket_index = socket_index + 1 == sockets.size() ? 0 : socket_index + 1;
      sendBatch(sock, n);
      issued += n;
    }
    if (issued >= planned) break;
    // Sleep until a batch is due, but at most the pacing granularity.
    common::Nanos wake =
        start + schedule.dueTime(issued + static_cast<uint64_t>(config->batch) - 1);
    wake = std::min(wake, common::monotonicNow() + common::Nanos(kPacingWakeNs));
    timespec ts{static_cast<time_t>(wake.count() / common::kNanosPerSecond),
                static_cast<long>(wake.count() % common::kNanosPerSecond)};
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
  }
  sender_counters.sender_stalls = schedule.stalls();
  sender_counters.sender_stall_ns = static_cast<uint64_t>(schedule.shift().count());
  send_finished_ns.store(common::monotonicNow().count(), std::memory_order_relaxed);
  sender_done.store(true, std::memory_order_release);
}

RequestRecord* LoadEngine::Lane::recordFor(uint64_t seq) {
  RequestRecord& r = ring[seq & ring_mask];
  if (r.seq.load(std::memory_order_acquire) != seq) return nullptr;
  if (r.rx_seq != seq) {
    r.rx_seq = seq;
    r.rx_our_tx_ns = 0;
    r.rx_server_rx = 0;
    r.rx_answered = false;
  }
  return &r;
}

size_t LoadEngine::Lane::drainErrorQueue(LaneSocket& sock) {
  size_t total = 0;
  constexpr size_t kBatch = 64;
  uint8_t data[kBatch][64];
  uint8_t control[kBatch][256];
  iovec iov[kBatch];
  mmsghdr msgs[kBatch];
  for (int round = 0; round < 16; ++round) {
    for (size_t k = 0; k < kBatch; ++k) {
      iov[k] = {data[k], sizeof data[k]};
      msgs[k].msg_hdr = msghdr{};
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
      msgs[k].msg_hdr.msg_control = control[k];
      msgs[k].msg_hdr.msg_controllen = sizeof control[k];
    }
    int n = recvmmsg(sock.fd.get(), msgs, kBatch, MSG_ERRQUEUE | MSG_DONTWAIT, nullptr);
    if (n <= 0) return total;
    total += static_cast<size_t>(n);
    for (int k = 0; k < n; ++k) {
      auto ts = hwts::parseTxErrqueue(msgs[k].msg_hdr);
      if (!ts || ts->type != hwts::TxStampType::kSend) continue;
      const hwts::RawTimestamp& raw = config->hw_interface.empty() ? ts->software : ts->hardware;
      if (!raw.present()) continue;
      int64_t tx_ns = common::nanosSinceEpoch(raw.asSysTime());
      uint64_t seq = sock.id_to_seq[ts->id % kIdMapSize].load(std::memory_order_acquire);
      RequestRecord* r = seq ? recordFor(seq) : nullptr;
      int64_t sent_ns = r ? r->send_time_ns.load(std::memory_order_relaxed) : 0;
      // The stamp must follow the moment the batch was built, within a second (a report
      // matched to the wrong request, e.g. if the kernel counted ids differently, fails).
      if (r != nullptr && r->step.load(std::memory_order_relaxed) != step) continue;  // late
      if (r == nullptr || tx_ns < sent_ns - 1'000'000 ||
          tx_ns > sent_ns + common::kNanosPerSecond) {
        ++receiver_counters.tx_stamp_mismatch;
        continue;
      }
      if (r->seq.load(std::memory_order_acquire) != seq) continue;
      ++receiver_counters.tx_stamps;
      r->rx_our_tx_ns = tx_ns;
      if (r->rx_server_rx != 0) rx_error.add(rxErrorNs(r->rx_server_rx, tx_ns));
    }
    if (n < static_cast<int>(kBatch)) return total;
  }
  return total;
}

void LoadEngine::Lane::onReply(std::span<const uint8_t> data, const msghdr& msg) {
  auto from = common::SocketAddress::fromSockaddr(static_cast<const sockaddr*>(msg.msg_name),
                                                  msg.msg_namelen);
  if (!from || !(*from == config->server)) {
    ++receiver_counters.wrong_address;
    return;
  }
  proto::NtpHeader h;
  ReplyVerdict verdict;
  if (!parseReply(data, h, verdict)) {
    ++receiver_counters.verdicts[static_cast<size_t>(verdict)];
    return;
  }
  uint64_t seq = sequenceOfCookie(h.origin_time.raw());
  RequestRecord* r = seq ? recordFor(seq) : nullptr;
  if (r == nullptr || r->rx_answered) {
    if (r == nullptr && seq >= 1 && seq < step_first_seq) {
      ++receiver_counters.late;
    } else {
      ++receiver_counters.verdicts[static_cast<size_t>(ReplyVerdict::kOriginMismatch)];
    }
    return;
  }
  if (r->step.load(std::memory_order_relaxed) != step) {
    ++receiver_counters.late;
    return;
  }
  uint64_t cookie = r->cookie.load(std::memory_order_relaxed);
  uint64_t origin_sent = r->origin_sent.load(std::memory_order_relaxed);
  uint32_t j = r->client.load(std::memory_order_relaxed);
  uint8_t flags = r->flags.load(std::memory_order_relaxed);
  if (r->seq.load(std::memory_order_acquire) != seq || j >= client_count) {
    ++receiver_counters.late;
    return;
  }
  verdict = matchReply(h, cookie, (flags & kFlagInterleaved) != 0);
  ++receiver_counters.verdicts[static_cast<size_t>(verdict)];
  live_replies.fetch_add(1, std::memory_order_relaxed);
  r->rx_answered = true;
  if (!isValid(verdict)) return;

  ClientSlot& client = clients[j];
  hwts::RxControl control = hwts::parseRxControl(msg);
  if (control.local_address && !(*control.local_address == client.address)) {
    ++receiver_counters.wrong_address;
  }
  const hwts::RawTimestamp& raw =
      config->hw_interface.empty() ? control.software : control.hardware;
  int64_t our_rx_ns = raw.present() ? common::nanosSinceEpoch(raw.asSysTime()) : 0;
  if (our_rx_ns == 0) ++receiver_counters.rx_stamp_missing;
  if (followsLowBitConvention(h)) ++receiver_counters.low_bit_convention;

  if ((flags & kFlagInterleaved) != 0 && origin_sent != 0) {
    ++receiver_counters.named_replies;
    if (verdict == ReplyVerdict::kInterleaved) ++receiver_counters.named_interleaved;
  }
  ReplyMeasurement m = applyReply(client.state, verdict, h, origin_sent, our_rx_ns);
  client.next_origin.store(client.state.lastServerRx(), std::memory_order_relaxed);
  if (m.tx_error_ns) (m.interleaved ? tx_interleaved : tx_basic).add(*m.tx_error_ns);
  r->rx_server_rx = h.receive_time.raw();
  if (r->rx_our_tx_ns != 0) rx_error.add(rxErrorNs(r->rx_server_rx, r->rx_our_tx_ns));
}

size_t LoadEngine::Lane::drainReplies(LaneSocket& sock) {
  size_t total = 0;
  const size_t batch = static_cast<size_t>(std::min(config->batch, 256));
  uint8_t data[256][kReplyBufferSize];
  uint8_t control[256][hwts::kRxControlSize];
  sockaddr_storage names[256];
  iovec iov[256];
  mmsghdr msgs[256];
  for (int round = 0; round < 8; ++round) {
    for (size_t k = 0; k < batch; ++k) {
      iov[k] = {data[k], kReplyBufferSize};
      msgs[k].msg_hdr = msghdr{};
      msgs[k].msg_hdr.msg_name = &names[k];
      msgs[k].msg_hdr.msg_namelen = sizeof names[k];
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
      msgs[k].msg_hdr.msg_control = control[k];
      msgs[k].msg_hdr.msg_controllen = sizeof control[k];
    }
    int n = recvmmsg(sock.fd.get(), msgs, static_cast<unsigned>(batch), MSG_DONTWAIT, nullptr);
    if (n <= 0) return total;
    total += static_cast<size_t>(n);
    for (int k = 0; k < n; ++k) {
      onReply(std::span<const uint8_t>(data[k], msgs[k].msg_len), msgs[k].msg_hdr);
    }
    if (n < static_cast<int>(batch)) return total;
  }
  return total;
}

void LoadEngine::Lane::runReceiver(common::Nanos grace, common::Nanos hard_deadline) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  for (;;) {
    bool done = sender_done.load(std::memory_order_acquire);
    if (done) {
      uint64_t answered = 0;
      for (uint64_t v : receiver_counters.verdicts) answered += v;
      common::Nanos now = common::monotonicNow();
      common::Nanos finished(send_finished_ns.load(std::memory_order_relaxed));
      if (answered >= sent_total.load(std::memory_order_relaxed) || now >= finished + grace ||
          now >= hard_deadline) {
        // One last look at the error queues so TX stamps of the last replies count.
        for (LaneSocket& s : sockets) drainErrorQueue(s);
        return;
      }
    }
    size_t got = 0;
    for (LaneSocket& s : sockets) {
      // TX reports first, so replies usually find their request's TX stamp already there.
      got += drainErrorQueue(s);
      got += drainReplies(s);
    }
    // Lazy reading: the kernel stamped every datagram on arrival, so reading them later
    // changes no measurement and saves a wake-up per reply at low and medium rates.
    if (got < static_cast<size_t>(config->batch)) {
      timespec pause{0, kReceivePauseNs};
      nanosleep(&pause, nullptr);
    }
  }
}

StepResult LoadEngine::runStep(double rate_per_s, double duration_s, double grace_s,
                               const std::function<void(double)>& tick) {
  ++step_;
  for (auto& lane : lanes_) {
    lane->step = step_;
    lane->step_first_seq = lane->next_seq;
    lane->sender_counters = StepCounters{};
    lane->receiver_counters = StepCounters{};
    lane->rx_error.clear();
    lane->tx_basic.clear();
    lane->tx_interleaved.clear();
    lane->live_sent.store(0);
    lane->live_replies.store(0);
    lane->sender_done.store(false);
    lane->send_finished_ns.store(0);
    lane->sent_total.store(0);
  }
  common::Nanos duration = common::nanosFromSeconds(duration_s);
  common::Nanos start = common::monotonicNow() + common::Nanos(2'000'000);
  common::Nanos grace = common::nanosFromSeconds(grace_s);
  common::Nanos hard_deadline = start + duration + duration / 2 + grace;
  std::vector<std::thread> threads;
  for (auto& lane : lanes_) {
    Lane* l = lane.get();
    threads.emplace_back([l, grace, hard_deadline] { l->runReceiver(grace, hard_deadline); });
    threads.emplace_back(
        [l, rate_per_s, start, duration] { l->runSender(rate_per_s, start, duration); });
  }
  if (tick) {
    for (;;) {
      common::Nanos now = common::monotonicNow();
      bool all_done = true;
      for (auto& lane : lanes_) all_done &= lane->sender_done.load(std::memory_order_relaxed);
      if (all_done || now >= start + duration) break;
      tick(std::max(0.0, common::toSeconds(now - start)));
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
  for (auto& t : threads) t.join();

  StepResult result;
  result.rate_per_s = rate_per_s;
  result.duration_s = duration_s;
  SampleSet rx, txb, txi;
  for (auto& lane : lanes_) {
    result.counters.add(lane->sender_counters);
    result.counters.add(lane->receiver_counters);
    rx.merge(lane->rx_error);
    txb.merge(lane->tx_basic);
    txi.merge(lane->tx_interleaved);
  }
  result.rx_error = rx.summary();
  result.tx_error_basic = txb.summary();
  result.tx_error_interleaved = txi.summary();
  // The rate while sending: the step's time, plus the schedule shifts after stalls (the
  // largest lane's, as lanes run side by side).
  uint64_t shift_ns = 0;
  for (auto& lane : lanes_) shift_ns = std::max(shift_ns, lane->sender_counters.sender_stall_ns);
  result.counters.sender_stall_ns = shift_ns;
  result.sent_per_s = static_cast<double>(result.counters.sent) /
                      (duration_s + static_cast<double>(shift_ns) * 1e-9);
  // Short: the step did not send (nearly) all its requests, or its schedule had to move on
  // so often that the rate while sending fell 5 % below the asked one (a preemption now and
  // then does not count; the stall time is reported either way).
  result.send_shortfall =
      static_cast<double>(result.counters.sent) < 0.99 * rate_per_s * duration_s ||
      result.sent_per_s < 0.95 * rate_per_s;
  return result;
}

}  // namespace strata::perf
