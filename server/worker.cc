#include "server/worker.h"

#include <fcntl.h>
#include <linux/net_tstamp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "common/clock.h"
#include "hwts/cmsg_timestamps.h"
#include "server/request_handler.h"

namespace strata::server {

namespace {
constexpr size_t kMaxDatagram = 1280;     // larger requests are dropped as truncated
constexpr size_t kPendingTxSlots = 4096;  // outstanding TX timestamp requests per socket
constexpr int kErrqueueBatch = 32;
constexpr int kIdleWaitMs = 100;  // a blocked worker looks at stop/snapshot requests this often
constexpr uint64_t kWarmUpSamples = 32;  // calibration samples taken from every reply first
constexpr int64_t kMinSampleSpacingNs = 1'000'000;  // at most 1000 calibration samples/s
}  // namespace

// A reply whose kernel TX timestamp was requested, waiting for the error-queue report.
struct Worker::PendingTx {
  uint32_t id = 0;
  bool valid = false;
  bool calibration_sample = false;
  bool for_client = false;  // the client uses interleaved mode: keep the precise stamp
  uint16_t position = 0;    // in its batch
  uint32_t client_index = 0;
  uint32_t client_generation = 0;
  uint64_t rx_ntp = 0;       // the reply's receive timestamp: identifies the exchange
  int32_t ifindex = -1;      // interface the request came in on (for hardware TX stamps)
  bool reported = false;     // a report came (a hardware one may still follow)
  int64_t stamp_raw_ns = 0;  // the clock reading its send chunk was stamped from (raw)
};

struct Worker::SocketState {
  WorkerSocket socket;
  struct Slot {
    alignas(64) uint8_t data[kMaxDatagram];
    uint8_t rx_control[hwts::kRxControlSize];
    uint8_t tx_control[hwts::kTxControlSize];
    sockaddr_storage peer;
  };
  struct Reply {
    uint32_t slot;
    uint32_t client_index;
    ServeDecision decision;
    bool calibration_sample;
    bool tx_requested;  // a kernel TX timestamp was requested for this reply
    int32_t ifindex;    // interface the request came in on
    bool sent;          // the kernel took it (set by sendBatch)
    int refusal;        // when not sent: the kernel's errno, or 0 if it was not tried
  };
  std::unique_ptr<Slot[]> slots;
  std::vector<mmsghdr> rx_msgs, tx_msgs;
  std::vector<iovec> rx_iov, tx_iov;
  std::vector<Reply> replies;
  std::vector<std::optional<common::SocketAddress>> peers;  // of the datagrams in rx_msgs
  unsigned rx_dirty;  // rx_msgs entries to restore before the next receive (see resetRx)
  std::unique_ptr<PendingTx[]> pending;
  uint32_t next_opt_id = 0;  // OPT_ID the kernel will give the next counted packet
  // Pending entries still waiting for a report (valid ones): the error queue is read
  // before each batch while there are any.
  uint32_t awaited_stamps = 0;
  // Error-queue reads.
  std::vector<mmsghdr> err_msgs;
  std::vector<std::array<uint8_t, 256>> err_control;

  SocketState(WorkerSocket s, unsigned batch) : socket(std::move(s)) {
    slots = std::make_unique<Slot[]>(batch);
    rx_msgs.resize(batch);
    tx_msgs.resize(batch);
    rx_iov.resize(batch);
    tx_iov.resize(batch);
    replies.resize(batch);
    peers.resize(batch);
    rx_dirty = batch;  // none set up yet
    pending = std::make_unique<PendingTx[]>(kPendingTxSlots);
    for (unsigned i = 0; i < batch; ++i) {
      rx_iov[i] = iovec{slots[i].data, kMaxDatagram};
      msghdr& h = rx_msgs[i].msg_hdr;
      h.msg_iov = &rx_iov[i];
      h.msg_iovlen = 1;
    }
    err_msgs.resize(kErrqueueBatch);
    err_control.resize(kErrqueueBatch);
  }

  // Restores the receive headers that the last recvmmsg may have written to. The kernel
  // writes back the name and control lengths and the flags of the datagrams it returns;
  // the header after the last one is included in case a failed receive wrote to it first.
  // With one datagram per wake-up this touches two headers, not the whole batch.
  void resetRx() {
    for (unsigned i = 0; i < rx_dirty; ++i) {
      msghdr& h = rx_msgs[i].msg_hdr;
      h.msg_name = &slots[i].peer;
      h.msg_namelen = sizeof(sockaddr_storage);
      h.msg_control = slots[i].rx_control;
      h.msg_controllen = hwts::kRxControlSize;
      h.msg_flags = 0;
    }
    rx_dirty = 0;
  }
  void noteReceived(int n) {
    rx_dirty =
        std::min(static_cast<unsigned>(rx_msgs.size()), static_cast<unsigned>(std::max(n, 0)) + 1);
  }
};

Worker::Worker(WorkerOptions options, WorkerSocket socket,
               const common::SeqLock<proto::ServerState>& state, const AccessTable& access)
    : options_(options),
      state_(state),
      access_(access),
      sampler_(options.calibration_every, kMinSampleSpacingNs, kWarmUpSamples),
      random_(options.seed ^ 0x5EED),
      shedding_(options.shed_stamps_after_ns) {
  if (options_.batch_size < 1) options_.batch_size = 1;
  if (options_.batch_size > 1024) options_.batch_size = 1024;
  socket_ = std::make_unique<SocketState>(std::move(socket), options_.batch_size);
  const size_t held_bytes = options_.client_log_bytes / kHeldTimestampsShareDivisor;
  client_log_ = std::make_unique<ClientLog>(options_.client_log_bytes - held_bytes, options_.seed);
  held_ = std::make_unique<HeldTimestamps>(held_bytes);
  tx_stamp_flags_ = SOF_TIMESTAMPING_TX_SOFTWARE;
  if (options_.hardware != nullptr && !options_.hardware->empty()) {
    tx_stamp_flags_ |= SOF_TIMESTAMPING_TX_HARDWARE;
  }
}

Worker::~Worker() { stop(); }

size_t Worker::clientLogCapacity() const { return client_log_->capacity(); }

void Worker::start() {
  // Blocking reads with a timeout: the thread sleeps in recvmmsg (MSG_WAITFORONE) and looks
  // at stop and snapshot requests at least every kIdleWaitMs.
  const int fd = socket_->socket.fd.get();
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  timeval timeout{0, kIdleWaitMs * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  stopping_.store(false, std::memory_order_relaxed);
  thread_ = std::thread([this] { run(); });
}

void Worker::requestStop() {
  if (!thread_.joinable()) return;
  stopping_.store(true, std::memory_order_release);
  // Wakes a blocked recvmmsg at once (it returns 0). On an unconnected UDP socket the call
  // reports ENOTCONN but still marks the socket shut for reading; the socket is not served
  // again.
  shutdown(socket_->socket.fd.get(), SHUT_RD);
}

void Worker::stop() {
  if (!thread_.joinable()) return;
  requestStop();
  thread_.join();
}

bool Worker::snapshotClients(std::vector<ClientRecord>& out, bool reset,
                             std::chrono::milliseconds timeout) {
  if (!thread_.joinable()) return false;
  auto request = std::make_shared<SnapshotRequest>();
  request->out = &out;
  request->reset = reset;
  std::future<void> done = request->done.get_future();
  SnapshotRequest* expected = nullptr;
  if (!snapshot_request_.compare_exchange_strong(expected, request.get(),
                                                 std::memory_order_release)) {
    return false;
  }
  if (done.wait_for(timeout) == std::future_status::ready) return true;
  // Withdraw the request; if the worker took it meanwhile, wait for it to finish with it.
  expected = request.get();
  if (!snapshot_request_.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) {
    done.wait();
    return true;
  }
  return false;
}

void Worker::answerSnapshotRequest() {
  SnapshotRequest* r = snapshot_request_.load(std::memory_order_acquire);
  if (r == nullptr) return;
  r->out->clear();
  for (const ClientRecord& record : client_log_->records()) {
    if (!record.isFree()) r->out->push_back(record);
  }
  if (r->reset) client_log_->resetCounters();
  snapshot_request_.store(nullptr, std::memory_order_release);
  r->done.set_value();
}

void Worker::run() {
  pthread_setname_np(pthread_self(), ("strata-w" + std::to_string(options_.index)).c_str());
  if (options_.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(options_.cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  }
  SocketState& s = *socket_;
  while (!stopping_.load(std::memory_order_relaxed)) {
    serve(s);
    answerSnapshotRequest();
    // Collect the TX timestamps of the replies just sent (software stamps are queued during
    // sendmmsg; hardware ones may come later and are read before the next batch).
    // Reading them less often was tried: at most every 10 ms, or once 32 waited, or when the
    // client of an unread stamp asked again. At 40000 interleaved req/s on a whole core it cut
    // error-queue reads from one per batch (~5 replies) to a quarter of that, but CPU per
    // reply stayed within the noise (10.00 against 10.06 us, medians of 10 rounds): each
    // report costs the kernel far more than the read that carries it.
    if (s.awaited_stamps > 0) drainErrorQueue(s);
    if (held_->savedCount() != held_published_) {
      maybePublishHeldTimestamps(common::nanosSinceEpoch(common::realtimeNow()));
    }
  }
}

void Worker::serve(SocketState& s) {
  const unsigned batch = options_.batch_size;
  const int fd = s.socket.fd.get();
  int flags = MSG_WAITFORONE;  // sleep until a datagram comes (or kIdleWaitMs passes)
  for (;;) {
    s.resetRx();
    int n = recvmmsg(fd, s.rx_msgs.data(), batch, flags, nullptr);
    s.noteReceived(n);
    if (n <= 0) {  // timeout, nothing left waiting, shutdown, or a pending socket error consumed
      shedding_.afterRead(n, batch);
      return;
    }
    // After requestStop()'s shutdown, recvmmsg "receives" empty datagrams that never came.
    if (stopping_.load(std::memory_order_acquire)) return;
    flags = MSG_DONTWAIT;  // a full batch: more may be waiting; never sleep mid-burst
    // The daemon timestamp, for datagrams that came without a kernel timestamp.
    const common::SysTime batch_time = common::realtimeNow();
    // TX timestamps of earlier replies first: an interleaved client's next request may be in
    // this batch. Under sustained load this also keeps the error queue, which shares the
    // receive buffer with waiting requests, from overflowing (the kernel drops stamps then).
    if (s.awaited_stamps > 0) drainErrorQueue(s);
    // Make room for the clients added by the last batch (moves records: not while this
    // batch holds record indices; a TX stamp still awaited for a moved record is dropped).
    client_log_->grow();
    const proto::ServerState state = state_.load();
    stats_.batches.add();
    stats_.received.add(static_cast<uint64_t>(n));
    const ServeContext context{state, options_.rate_limit, random_, held_.get()};
    // Start loading every sender's client record before serving any: the records are
    // usually cold, and their misses then overlap with each other and with the parsing.
    for (int i = 0; i < n; ++i) {
      s.peers[i] = common::SocketAddress::fromSockaddr(
          reinterpret_cast<const sockaddr*>(&s.slots[i].peer), s.rx_msgs[i].msg_hdr.msg_namelen);
      if (s.peers[i]) client_log_->prefetch(s.peers[i]->ip);
    }

    unsigned replies = 0;
    for (int i = 0; i < n; ++i) {
      SocketState::Slot& slot = s.slots[i];
      const msghdr& h = s.rx_msgs[i].msg_hdr;
      const size_t length = s.rx_msgs[i].msg_len;
      if (h.msg_flags & MSG_TRUNC) {
        stats_.dropped[static_cast<size_t>(DropReason::kTruncated)].add();
        continue;
      }
      const std::optional<common::SocketAddress>& peer = s.peers[i];
      if (!peer || peer->port == 0 || !peer->ip.isUnicastSource()) {
        stats_.dropped[static_cast<size_t>(DropReason::kBadSource)].add();
        continue;
      }
      if (!access_.allowed(peer->ip)) {
        stats_.dropped[static_cast<size_t>(DropReason::kDenied)].add();
        continue;
      }
      proto::ParsedPacket request;
      DropReason reason;
      if (!parseRequest(std::span<const uint8_t>(slot.data, length), request, reason)) {
        stats_.dropped[static_cast<size_t>(reason)].add();
        continue;
      }
      const hwts::RxControl rx = hwts::parseRxControl(h);
      common::SysTime rx_raw = batch_time;
      std::optional<common::SysTime> hw_rx;
      if (options_.hardware != nullptr) hw_rx = hardwareRxTime(rx, *options_.hardware);
      if (hw_rx) {
        rx_raw = *hw_rx;
        stats_.rx_stamps[static_cast<size_t>(StampSource::kHardware)].add();
      } else if (rx.software.present()) {
        rx_raw = rx.software.asSysTime();
        stats_.rx_stamps[static_cast<size_t>(StampSource::kKernel)].add();
      } else {
        stats_.rx_stamps[static_cast<size_t>(StampSource::kDaemon)].add();
      }
      const common::SysTime rx_served = state.correction.apply(rx_raw);

      ClientLog::Touch touch = client_log_->touch(peer->ip, rx_served);
      if (touch.is_new && !touch.recycled) stats_.client_records.set(client_log_->used());
      if (touch.recycled) {
        stats_.client_recycled.add();
        if (touch.evicted_flags & ClientRecord::kFlagInterleaved) stats_.interleaved_clients.sub();
      }
      const bool was_interleaved = touch.record->flags & ClientRecord::kFlagInterleaved;
      ServeDecision d = serveRequest(std::span<uint8_t>(slot.data, kMaxDatagram), request,
                                     rx_served, touch, context);
      const bool is_interleaved = touch.record->flags & ClientRecord::kFlagInterleaved;
      if (is_interleaved && !was_interleaved) stats_.interleaved_clients.add();
      if (was_interleaved && !is_interleaved) stats_.interleaved_clients.sub();
      if (!d.reply) {
        stats_.dropped[static_cast<size_t>(d.reason)].add();
        continue;
      }
      if (d.leaked) stats_.leaked.add();

      // Sample a few basic replies for the send-delay calibration.
      const bool sample = options_.tx_calibration && d.stamp_transmit &&
                          sampler_.take(tx_model_.samples(), common::nanosSinceEpoch(batch_time));
      // Overload: no precise TX stamps from a request that waited longer than
      // shed_stamps_after_ns in the socket until a read empties it (see StampShedding).
      bool precise_tx = d.want_tx_timestamp && !d.kod;
      const int64_t waited_ns =
          rx.software.present() ? (batch_time - rx.software.asSysTime()).count() : 0;
      if (shedding_.shed(waited_ns) && precise_tx) {
        precise_tx = false;
        stats_.tx_stamp_shed.add();
      }
      const bool want_stamp = precise_tx || sample;
      const std::optional<common::IpAddress> source =
          s.socket.wildcard ? rx.local_address : std::nullopt;
      const size_t control_len = hwts::buildTxControl(
          slot.tx_control, want_stamp ? tx_stamp_flags_ : 0u, source, rx.pktinfo_ifindex);

      s.tx_iov[replies] = iovec{slot.data, d.reply_length};
      msghdr& out = s.tx_msgs[replies].msg_hdr;
      out.msg_name = &slot.peer;
      out.msg_namelen = h.msg_namelen;
      out.msg_iov = &s.tx_iov[replies];
      out.msg_iovlen = 1;
      out.msg_control = control_len ? slot.tx_control : nullptr;
      out.msg_controllen = control_len;
      out.msg_flags = 0;
      s.replies[replies] =
          SocketState::Reply{static_cast<uint32_t>(i),
                             touch.index,
                             d,
                             sample,
                             want_stamp && tx_stamp_flags_ != 0,
                             rx.ts_ifindex >= 0 ? rx.ts_ifindex : rx.pktinfo_ifindex,
                             false,
                             0};
      ++replies;
    }
    shedding_.afterRead(n, batch);
    if (replies == 0) {
      if (static_cast<unsigned>(n) < batch) return;
      continue;
    }

    // One sendmmsg for the batch, stamped from one clock reading plus the per-position
    // delay model. Sending batches of up to four replies one by one (each stamped just before
    // its own send) was tried: on loopback, where each earlier reply's delivery runs inside
    // the send, it made the basic TX error at 5000-10000 req/s slightly smaller (median run
    // means 0.41-0.83 against 0.55-1.17 us, p99 9-18 against 18-25 us, in four A/B runs;
    // chronyd's mean is 5-7 us) but cost a syscall per reply: 3-4 % more CPU per reply at
    // 50000 req/s (at 10000, within the noise of paired rounds).
    stampAndSend(s, state, replies);
    maybePublishHeldTimestamps(common::nanosSinceEpoch(batch_time));
    if (static_cast<unsigned>(n) < batch) return;
    // Sustained load: serve() may not return for long; answer monitoring here too.
    if (snapshot_request_.load(std::memory_order_relaxed) != nullptr) answerSnapshotRequest();
  }
}

void Worker::stampAndSend(SocketState& s, const proto::ServerState& state, unsigned count) {
  // Stamp as late as possible: one clock read for the chunk, plus the predicted delay
  // until each reply actually leaves.
  const common::SysTime now_raw = common::realtimeNow();
  for (unsigned j = 0; j < count; ++j) {
    SocketState::Reply& r = s.replies[j];
    const int position = static_cast<int>(j);
    const int64_t predicted = options_.tx_calibration ? tx_model_.predict(position) : 0;
    const common::SysTime tx_raw = now_raw + common::Nanos(predicted);
    const proto::NtpTimestamp tx =
        proto::NtpTimestamp::fromSysTime(state.correction.apply(tx_raw)).withLowBit(false);
    if (r.decision.stamp_transmit) {
      proto::writeTimestamp(&s.slots[r.slot].data[proto::kOffsetTransmitTime], tx);
      stats_.tx_stamps[static_cast<size_t>(StampSource::kDaemon)].add();
    }
    if (!r.decision.kod) recordTransmit(*client_log_->recordAt(r.client_index), tx, false, false);
  }

  sendBatch(s, count);

  // The kernel numbers the TX-stamp reports (OPT_ID) of the packets it sent, in order. A
  // packet it refused may have used up a number too (hwts::refusalMayUseOptId): then the
  // numbers of the packets after it are unknown, and numbering starts again.
  const bool every_packet = options_.opt_id_counting == hwts::OptIdCounting::kEveryPacket;
  uint32_t id = s.next_opt_id;
  uint64_t sent = 0;
  bool numbering_lost = false;
  for (unsigned j = 0; j < count; ++j) {
    SocketState::Reply& r = s.replies[j];
    if (!r.sent) {
      stats_.dropped[static_cast<size_t>(DropReason::kSendFailed)].add();
      if ((r.tx_requested || every_packet) && r.refusal != 0 &&
          hwts::refusalMayUseOptId(r.refusal)) {
        numbering_lost = true;
      }
      continue;
    }
    ++sent;
    if (r.decision.interleaved) stats_.interleaved.add();
    if (r.decision.kod) stats_.kod_sent.add();
    if (r.tx_requested && numbering_lost) {
      stats_.tx_stamp_requests.add();
      stats_.tx_stamp_missing.add();  // its report's number is unknown
    } else if (r.tx_requested) {
      PendingTx& p = s.pending[id % kPendingTxSlots];
      if (p.valid) {
        --s.awaited_stamps;
        if (!p.reported) stats_.tx_stamp_missing.add();
      }
      const ClientRecord& record = *client_log_->recordAt(r.client_index);
      p = PendingTx{.id = id,
                    .valid = true,
                    .calibration_sample = r.calibration_sample,
                    .for_client = r.decision.want_tx_timestamp && !r.decision.kod,
                    .position = static_cast<uint16_t>(j),
                    .client_index = r.client_index,
                    .client_generation = record.generation,
                    .rx_ntp = record.last_rx_ntp,
                    .ifindex = r.ifindex,
                    .reported = false,
                    .stamp_raw_ns = common::nanosSinceEpoch(now_raw)};
      stats_.tx_stamp_requests.add();
      ++s.awaited_stamps;
    }
    if (r.tx_requested || every_packet) ++id;
  }
  s.next_opt_id = id;
  stats_.replied.add(sent);
  if (numbering_lost) restartTxStampNumbering(s);
}

void Worker::restartTxStampNumbering(SocketState& s) {
  stats_.tx_stamp_renumbered.add();
  drainErrorQueue(s);  // software stamps are queued during sendmmsg: those numbered before
  for (size_t i = 0; i < kPendingTxSlots; ++i) {
    PendingTx& p = s.pending[i];
    if (p.valid && !p.reported) stats_.tx_stamp_missing.add();
    p.valid = false;
  }
  s.awaited_stamps = 0;
  s.next_opt_id = 0;
  // Cannot fail on a socket that took these flags at start; if it did, the numbers stay
  // unknown and the reports no longer match: stop asking for stamps on this socket.
  if (!hwts::restartOptIdNumbering(s.socket.fd.get())) tx_stamp_flags_ = 0;
}

void Worker::sendBatch(SocketState& s, unsigned count) {
  // sendmmsg stops at the first packet the kernel refuses (a reply to an address it will not
  // send to, such as a spoofed broadcast source: EACCES; no route: ENETUNREACH). That one is
  // skipped and the rest sent, so one hostile request cannot cost its batch their replies.
  // A full send buffer (EAGAIN, ENOBUFS) refuses the rest as well.
  const int fd = s.socket.fd.get();
  unsigned done = 0;
  while (done < count) {
    const int n = sendmmsg(fd, s.tx_msgs.data() + done, count - done, MSG_DONTWAIT);
    if (n > 0) {
      for (unsigned j = done; j < done + static_cast<unsigned>(n); ++j) s.replies[j].sent = true;
      done += static_cast<unsigned>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int error = n < 0 ? errno : 0;
    const bool buffer_full = n == 0 || error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS;
    const unsigned refused = buffer_full ? count - done : 1;
    for (unsigned j = done; j < done + refused; ++j) {
      s.replies[j].sent = false;
      s.replies[j].refusal = j == done ? error : 0;  // the rest of a full buffer: not tried
    }
    done += refused;
  }
}

// Reads the TX-stamp reports with recvmmsg(MSG_ERRQUEUE). io_uring's multishot
// SOCKET_URING_OP_TX_TIMESTAMP (kernel 6.16+) hands them over as completions instead, without
// the per-report control messages; a scratch program (loopback, 8-packet batches, 8 rounds,
// CPU per packet against unstamped sends) measured 1.28x (1.26-1.31) with it against 1.31x
// (1.30-1.32) with this read: it saves about an eighth of a stamp's cost. It also accepts
// only reports without the packet (OPT_TSONLY), which put the interleaved stamp 11-33 ns
// further from the departure (see hwts::SocketTimestampingOptions). Not adopted.
void Worker::drainErrorQueue(SocketState& s) {
  const proto::ServerState state = state_.load();
  for (;;) {
    for (int i = 0; i < kErrqueueBatch; ++i) {
      msghdr& h = s.err_msgs[i].msg_hdr;
      h = msghdr{};
      // No room for the packet a report may carry (sockets without OPT_TSONLY): the kernel
      // copies none of it and flags the report MSG_TRUNC; only its control messages count.
      h.msg_iov = nullptr;
      h.msg_iovlen = 0;
      h.msg_control = s.err_control[i].data();
      h.msg_controllen = s.err_control[i].size();
    }
    int n = recvmmsg(s.socket.fd.get(), s.err_msgs.data(), kErrqueueBatch,
                     MSG_ERRQUEUE | MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    for (int i = 0; i < n; ++i) {
      auto ts = hwts::parseTxErrqueue(s.err_msgs[i].msg_hdr);
      if (!ts || ts->type != hwts::TxStampType::kSend) continue;
      PendingTx& p = s.pending[ts->id % kPendingTxSlots];
      if (!p.valid || p.id != ts->id) continue;
      // With hardware timestamping (OPT_TX_SWHW) a packet can be reported twice: software
      // first, hardware later. The software stamp is used at once; a hardware stamp that
      // follows replaces it. Entries wait in the ring for the hardware report until reused.
      std::optional<common::SysTime> hw_tx;
      if (options_.hardware != nullptr) {
        hw_tx = hardwareTxTime(ts->hardware, p.ifindex, *options_.hardware);
      }
      const bool hardware = hw_tx.has_value();
      if (!hardware && !ts->software.present()) continue;
      const common::SysTime tx_time = hardware ? *hw_tx : ts->software.asSysTime();
      const bool may_upgrade = !hardware && options_.hardware != nullptr &&
                               options_.hardware->find(p.ifindex) != nullptr;
      p.valid = may_upgrade;
      if (!may_upgrade) --s.awaited_stamps;
      p.reported = true;
      stats_
          .tx_stamps[static_cast<size_t>(hardware ? StampSource::kHardware : StampSource::kKernel)]
          .add();
      if (p.calibration_sample && !hardware) {
        tx_model_.addSample(p.position, common::nanosSinceEpoch(tx_time) - p.stamp_raw_ns);
        stats_.tx_calibration_samples.set(tx_model_.samples());
        stats_.tx_delay_base_ns.set(
            static_cast<uint64_t>(tx_model_.baseNs() > 0 ? tx_model_.baseNs() : 0));
        stats_.tx_delay_per_packet_ns.set(static_cast<uint64_t>(tx_model_.perPacketNs()));
      }
      if (!p.for_client) continue;
      ClientRecord& record = *client_log_->recordAt(p.client_index);
      if (record.generation != p.client_generation) {
        stats_.tx_stamp_late.add();  // the slot was recycled (or the record moved)
        continue;
      }
      const proto::NtpTimestamp tx =
          proto::NtpTimestamp::fromSysTime(state.correction.apply(tx_time)).withLowBit(false);
      if (record.last_rx_ntp == p.rx_ntp) {
        recordTransmit(record, tx, true, hardware);
        continue;
      }
      // The client's next request came first and saved this exchange's pair.
      HeldPair* held = held_->find(record.held_seq, p.rx_ntp);
      if (held == nullptr) {
        stats_.tx_stamp_late.add();  // no longer held
        continue;
      }
      held->tx_ntp = tx.raw();
      held->flags = static_cast<uint8_t>(ClientRecord::kFlagTxPrecise |
                                         (hardware ? ClientRecord::kFlagTxHardware : 0));
    }
    // Software stamps are queued during sendmmsg: once every awaited one has come, another
    // read would only find the queue empty (a syscall per batch under load).
    if (n < kErrqueueBatch || s.awaited_stamps == 0) return;
  }
}

void Worker::maybePublishHeldTimestamps(int64_t now_ns) {
  // After 1024 saves, or 100 ms after any (the worker loop comes here at least every
  // kIdleWaitMs): the span reads the oldest pair, a cache miss not worth taking per batch.
  const uint64_t saves = held_->savedCount() - held_published_;
  if (saves < 1024 && (saves == 0 || now_ns - held_published_ns_ < 100'000'000)) return;
  held_published_ = held_->savedCount();
  held_published_ns_ = now_ns;
  stats_.timestamps_held.set(held_->held());
  stats_.timestamp_span_ns.set(static_cast<uint64_t>(held_->spanNs()));
}

}  // namespace strata::server
