#pragma once
// Worker: one serving thread with one socket, a member of its bind address's SO_REUSEPORT
// group (which steers a client address always to the same worker). It owns its client-log
// shard, its TX-timestamp bookkeeping and its counters, so the per-packet path takes no
// locks, allocates nothing, logs nothing and makes no syscalls beyond recvmmsg/sendmmsg
// (plus error-queue reads for the TX timestamps it asked for).
//
// The thread blocks in recvmmsg on its one socket (no epoll): a wake-up costs one syscall
// less, and nothing waits on the socket while it sends, so the kernel's TX timestamp is
// taken as close to the departure as for a server that polls (an epoll registration makes
// the kernel run its callback between the TX stamp and the departure: +0.3 us on loopback).
//
// Per batch: recvmmsg -> per datagram: ACL, parse, client log, rate limit, reply built in
// place -> read the clock once, stamp every basic reply with clock + predicted send delay of
// its batch position, one sendmmsg. Interleaved clients' replies request a kernel (or NIC)
// TX timestamp through a per-packet control message; the report, matched by OPT_ID, becomes
// the precise transmit timestamp of the client's next, interleaved reply (in the client's
// record, or in the worker's HeldTimestamps when the client's next request came first).
// A quarter of the worker's share of `clientloglimit` holds those earlier pairs.
//
// Thread-safety: start()/stop() from the owning (daemon) thread; stats() readable from any
// thread; everything else is private to the worker thread.

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "common/seqlock.h"
#include "common/unique_fd.h"
#include "hwts/socket_opt_id.h"
#include "proto/server_state.h"
#include "server/access_table.h"
#include "server/calibration_sampler.h"
#include "server/client_log.h"
#include "server/held_timestamps.h"
#include "server/hw_stamps.h"
#include "server/rate_limiter.h"
#include "server/stamp_shedding.h"
#include "server/tx_delay_model.h"
#include "server/worker_stats.h"

namespace strata::server {

// The part of `clientloglimit` that holds earlier (RX, TX) pairs of interleaved clients
// (24 bytes each): with a quarter, 0.9 pairs per 64-byte client record.
inline constexpr size_t kHeldTimestampsShareDivisor = 4;

struct WorkerOptions {
  unsigned index = 0;
  int cpu = -1;                     // pin to this CPU; -1 = no pinning
  unsigned batch_size = 32;         // datagrams per recvmmsg/sendmmsg, 1..1024
  bool tx_calibration = true;       // predicted send delay added to basic transmit stamps
  unsigned calibration_every = 16;  // sample one reply in this many (at most one per ms)
  // Overload shedding (see StampShedding): stamps stop when a request waited in the socket
  // longer than this, until a read empties it. Measured with one worker, 1000 interleaved
  // clients, 2 s runs: at 115699 req/s (0.8 x the basic maximum) without shedding 9 runs of
  // 12 lost 2-14 % of requests; with it (after 1, 5 or 10 ms, shedding only the requests
  // that waited) none of 42 lost any. The interleaved share moved with this noisy machine
  // more than with the threshold: after 1 ms, median 95 % (43-99 %, 27 runs); after 10 ms,
  // 92 % (44-99.6 %, 10 runs). At 103303 req/s, where a transient queue is the usual cause,
  // 1 ms shed stamps in all 5 runs that counted them (median share 98.2 % over 9 runs), 10 ms
  // in 4 of 10 (median 99.5 %). That chose 10 ms. In a third of a core (cgroup, 1000 µs
  // every 3000 µs, 3 s runs at 39000 req/s, ~0.87 x the basic saturated rate there), where
  // the standing queue decides it, 3 ms kept more replies interleaved: median 93 % (33-99 %,
  // 19 runs) against 75 % after 10 ms (17-99 %, 22 runs), losing no more requests; 1 ms
  // gave 75 % (68-91 %, 6 runs: the budget's 2 ms pauses alone make requests wait that
  // long). 3 ms, then: a shallower standing queue, still above scheduling hiccups, and far
  // short of the ~90 ms of requests the receive buffer holds at 100000 req/s (4 MB asked,
  // 8 MB of kernel accounting, ~0.8 KB per queued request).
  // Shed stamps are counted (metrics: worker_tx_timestamps_shed). The directive
  // `txstampshed MS|off` sets it (off: INT64_MAX, never).
  int64_t shed_stamps_after_ns = 3'000'000;
  RateLimitParams rate_limit;
  // Bounds the client log and the held timestamp pairs of interleaved clients together:
  // the pairs get 1/kHeldTimestampsShareDivisor of it, the records the rest.
  size_t client_log_bytes = 524288;
  hwts::OptIdCounting opt_id_counting = hwts::OptIdCounting::kTimestampedOnly;
  uint64_t seed = 1;  // hash key and leak lottery
  // Interfaces with NIC timestamping (null or empty: software timestamps only). Not owned;
  // must outlive the worker.
  const HwInterfaceTable* hardware = nullptr;
};

struct WorkerSocket {
  common::UniqueFd fd;
  bool ipv6 = false;
  bool wildcard = false;  // bound to 0.0.0.0/::: reply from the address the client used
};

class Worker {
 public:
  Worker(WorkerOptions options, WorkerSocket socket,
         const common::SeqLock<proto::ServerState>& state, const AccessTable& access);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // Asks the thread to finish (it wakes at once); stop() also joins it. Calling
  // requestStop() on every worker first lets them finish in parallel.
  void requestStop();
  void stop();

  const WorkerStats& stats() const { return stats_; }
  const WorkerOptions& options() const { return options_; }
  size_t clientLogCapacity() const;

  // A copy of the client-log records in use (for `clients`), taken by the worker thread
  // between batches, or within 100 ms when idle; the caller waits up to `timeout`. Returns
  // false on timeout (or when the worker is not running). With `reset`, the copied records'
  // counters are zeroed. Call from one thread at a time.
  bool snapshotClients(std::vector<ClientRecord>& out, bool reset,
                       std::chrono::milliseconds timeout);

 private:
  struct SocketState;
  struct PendingTx;
  struct SnapshotRequest {
    std::vector<ClientRecord>* out;
    bool reset;
    std::promise<void> done;
  };
  void answerSnapshotRequest();
  void run();
  void serve(SocketState& s);
  void drainErrorQueue(SocketState& s);
  // Shows the held pairs' count and span in stats_ now and then (see the definition).
  void maybePublishHeldTimestamps(int64_t now_ns);
  // Stamps the batch's first `count` replies from one clock reading and sends them (one
  // sendmmsg unless the kernel refuses a reply); counts what was sent and what failed, and
  // notes the TX stamps awaited for the sent ones.
  void stampAndSend(SocketState& s, const proto::ServerState& state, unsigned count);
  // sendmmsg of those replies, past any one the kernel refuses; marks each Reply::sent and
  // Reply::refusal.
  void sendBatch(SocketState& s, unsigned count);
  // After a refusal that may have used up a report number (see hwts::refusalMayUseOptId):
  // collects the reports numbered before it, forgets the stamps still awaited, and has the
  // kernel number from 0 again. Without it every later report would be matched to the
  // wrong reply.
  void restartTxStampNumbering(SocketState& s);

  WorkerOptions options_;
  const common::SeqLock<proto::ServerState>& state_;
  const AccessTable& access_;
  std::unique_ptr<SocketState> socket_;
  std::unique_ptr<ClientLog> client_log_;
  std::unique_ptr<HeldTimestamps> held_;
  uint64_t held_published_ = 0;  // held_->savedCount() when stats_ last showed it
  int64_t held_published_ns_ = 0;  // and when (batch time, ns since the epoch)
  TxDelayModel tx_model_;
  CalibrationSampler sampler_;  // which replies feed tx_model_
  FastRandom random_;
  StampShedding shedding_;  // whether this batch's replies may ask for precise TX stamps
  WorkerStats stats_;
  std::atomic<bool> stopping_{false};
  std::atomic<SnapshotRequest*> snapshot_request_{nullptr};
  std::thread thread_;
  uint32_t tx_stamp_flags_ = 0;  // SOF_TIMESTAMPING_TX_* asked for per packet
};

}  // namespace strata::server
