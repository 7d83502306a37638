#pragma once
// ServingEngine: the set of serving workers. For every bind address it opens one
// SO_REUSEPORT socket per worker slot (in slot order, so the steering program's index is the
// slot), attaches the steering program, and runs one Worker thread per socket: with A bind
// addresses and `workers` N there are A x N threads, worker i serving address i / N. Sums
// their counters on demand.
//
// Thread-safety: open()/start()/stop() from one (daemon) thread; totals() from any thread.

#include <memory>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "common/seqlock.h"
#include "proto/server_state.h"
#include "server/access_table.h"
#include "server/worker.h"

namespace strata::server {

struct ServingOptions {
  std::vector<common::SocketAddress> bind;  // one entry per address; port included
  std::string bind_device;
  int dscp = 0;
  unsigned workers = 0;           // per bind address; 0 = one per online CPU
  std::vector<int> worker_cpus;   // pin slot i (of each address) to worker_cpus[i % size]; empty = no pinning
  unsigned batch_size = 32;
  bool tx_calibration = true;
  int64_t shed_stamps_after_ns = 3'000'000;  // see WorkerOptions
  RateLimitParams rate_limit;
  size_t client_log_bytes = 524288;  // total, split evenly between workers
  // Interfaces with NIC timestamping enabled (null: none). Not owned; outlives the engine.
  const HwInterfaceTable* hardware = nullptr;
};

struct ServingTotals {
  uint64_t received = 0, replied = 0, interleaved = 0, kod_sent = 0, leaked = 0;
  uint64_t dropped[kDropReasonCount] = {};
  uint64_t rx_stamps[3] = {}, tx_stamps[3] = {};
  uint64_t tx_stamp_requests = 0, tx_stamp_missing = 0, tx_stamp_late = 0;
  uint64_t client_recycled = 0;
  uint64_t interleaved_clients = 0;  // client records holding interleaved-mode state
  uint64_t client_records = 0;       // client records in use
  uint64_t timestamps_held = 0;      // earlier (RX, TX) pairs held, all workers
  uint64_t timestamp_span_ns = 0;    // the longest span of them among the workers
  uint64_t droppedTotal() const;
};

class ServingEngine {
 public:
  ServingEngine(const common::SeqLock<proto::ServerState>& state, const AccessTable& access)
      : state_(state), access_(access) {}
  ~ServingEngine() { stop(); }

  // Opens every socket; errors name the address (port in use, no permission, ...).
  common::Result<void> open(const ServingOptions& options);
  void start();
  void stop();

  size_t workerCount() const { return workers_.size(); }  // all addresses
  unsigned workersPerAddress() const { return per_address_; }
  const Worker& worker(size_t i) const { return *workers_[i]; }
  Worker& worker(size_t i) { return *workers_[i]; }
  ServingTotals totals() const;
  // The local addresses actually bound (ports resolved if 0 was asked), in option order.
  const std::vector<common::SocketAddress>& boundAddresses() const { return bound_; }
  size_t clientLogCapacity() const;

 private:
  const common::SeqLock<proto::ServerState>& state_;
  const AccessTable& access_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<common::SocketAddress> bound_;
  unsigned per_address_ = 0;
};

unsigned defaultWorkerCount();

}  // namespace strata::server
