#pragma once
// Serving counters of one worker. Written by that worker only (plain relaxed store of
// load+1: no atomic read-modify-write on the per-packet path), read by any thread (control,
// metrics) with relaxed loads. Totals are summed on demand.

#include <array>
#include <atomic>
#include <cstdint>

#include "server/drop_reason.h"

namespace strata::server {

class Counter {
 public:
  void add(uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void sub(uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed); }
  void set(uint64_t n) { v_.store(n, std::memory_order_relaxed); }
  uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

enum class StampSource : uint8_t { kDaemon = 0, kKernel = 1, kHardware = 2 };

struct WorkerStats {
  Counter received;          // datagrams read
  Counter replied;           // replies sent (all kinds)
  Counter interleaved;       // interleaved replies
  Counter kod_sent;          // KoD RATE replies
  Counter leaked;            // answered although rate-limited
  std::array<Counter, kDropReasonCount> dropped;
  std::array<Counter, 3> rx_stamps;  // by StampSource
  std::array<Counter, 3> tx_stamps;  // by StampSource: daemon = written basic stamps
  Counter tx_stamp_requests;  // precise TX stamps requested from the kernel
  Counter tx_stamp_missing;   // requested but never reported (evicted from the pending ring)
  Counter tx_stamp_late;      // reported after the client's next request
  Counter tx_stamp_shed;      // not asked for: the request had waited too long (overload)
  // Times the TX-stamp numbering (OPT_ID) was restarted because a refused send may have used
  // a number (Worker::restartTxStampNumbering); the stamps then awaited are lost.
  Counter tx_stamp_renumbered;
  Counter client_recycled;    // client-log records reused for another client
  Counter interleaved_clients;  // records holding interleaved-mode state (RX/TX pairs)
  Counter client_records;       // records in use
  Counter timestamps_held;      // earlier (RX, TX) pairs held (HeldTimestamps)
  Counter timestamp_span_ns;    // receive times of the newest and oldest of them, apart
  Counter batches;            // recvmmsg calls that returned data
  // Basic-mode TX stamp calibration (stamp-to-wire delay model), nanoseconds.
  Counter tx_delay_base_ns;      // delay of the first packet of a batch
  Counter tx_delay_per_packet_ns;  // added per position in the batch
  Counter tx_calibration_samples;

  uint64_t droppedTotal() const {
    uint64_t t = 0;
    for (const auto& c : dropped) t += c.get();
    return t;
  }
};

}  // namespace strata::server
