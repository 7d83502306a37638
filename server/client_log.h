#pragma once
// ClientLog: a fixed-size table of recent NTP clients, one per serving worker. Clients are
// steered to workers by source address, so each shard is touched by one thread only and
// needs no locks. Memory is reserved once at construction and never grows beyond it: with
// more distinct clients than slots, the least recently seen client of a bucket is recycled.
//
// Per client (ClientRecord, 64 bytes = one cache line): address, request and drop counts,
// last request time, average request interval, rate-limit tokens, and the interleaved-mode
// state (the receive and transmit timestamps of the last reply, and where earlier ones are
// held: see HeldTimestamps). The table holds floor(limit_bytes / 256) 4-record buckets, so
// the limit bounds its memory.
//
// The table grows into its reservation by linear hashing: it starts with kInitialBuckets
// buckets, and grow() (called between batches) splits one bucket after another, moving
// about half of each one's records into a new bucket at the end of the used part, while the
// clients outnumber half the buckets in use. A thousand clients thus live in ~512 KB rather
// than spread over the whole reservation: with `clientloglimit 100000000`, 1000 clients and
// 50000 req/s, perf put 0.66 us of CPU per request in touch() (a TLB and cache miss each)
// with the whole table in use, 0.27 us with the growing one. The reservation is anonymous
// memory that the kernel maps on first write, so resident memory follows the clients
// served (in 2 MB steps where the kernel gives the reservation transparent huge pages, as
// it is asked to: at 10000 req/s, where every request finds caches and TLBs cold, perf put
// touch() at 0.47 us per request with 4 KB pages, 0.32 us with huge pages). A split costs at
// most four record copies. Until the table has its full size, a full bucket still recycles
// its oldest client (rare at half a client per bucket; counted in recycledCount()), and each
// such eviction owes the table a sixteenth of a round of splits, so that a bucket with more
// active clients than slots is split within a few dozen of its evictions instead of making
// them evict each other for good. One grow() call does at most kMaxSplitsPerGrow splits;
// owed ones carry over to the next.
//
// Thread-safety: single-threaded (the owning worker). Snapshots for monitoring are taken by
// the owner on request (see Worker).

#include <cstdint>
#include <span>

#include "common/anonymous_memory.h"
#include "common/net_address.h"
#include "common/ntp_time.h"

namespace strata::server {

struct alignas(64) ClientRecord {
  uint8_t address[16];      // IPv6 or v4-mapped
  int64_t last_request_ns;  // served time of the last request (0 = free slot)
  uint64_t last_rx_ntp;     // receive timestamp of the last reply (NTP raw, LSB 1)
  uint64_t last_tx_ntp;     // transmit timestamp of the last reply (NTP raw, LSB 0)
  uint32_t requests;        // NTP requests received
  uint32_t drops;           // requests not answered (rate limit)
  uint32_t tokens_q20;      // rate-limit bucket, tokens in units of 2^-20
  uint32_t generation;      // bumped when the slot is recycled for another client
  // Sequence number of this client's newest earlier (RX, TX) pair in the worker's
  // HeldTimestamps (0 = none).
  uint32_t held_seq;
  int16_t interval_log2_x16;  // average request interval, log2 seconds x16 (EWMA)
  uint8_t flags;              // kFlag* below
  uint8_t kod_count;          // KoD RATE replies sent (saturating)

  static constexpr uint8_t kFlagTxPrecise = 1;    // last_tx_ntp came from a kernel/HW stamp
  static constexpr uint8_t kFlagTxHardware = 2;   // ... from a hardware stamp
  static constexpr uint8_t kFlagInterleaved = 4;  // client uses interleaved mode
  // An interleaved client sent one request that was not interleaved (a lost reply, or the
  // client went back to basic mode); a second one in a row clears kFlagInterleaved.
  static constexpr uint8_t kFlagOneBasic = 8;

  bool isFree() const { return last_request_ns == 0; }
  common::IpAddress ipAddress() const;
};
static_assert(sizeof(ClientRecord) == 64);

class ClientLog {
 public:
  static constexpr size_t kBucketSize = 4;
  static constexpr size_t kRecordBytes = sizeof(ClientRecord);

  // `limit_bytes` bounds the table (at least one bucket is kept). `hash_key` randomises the
  // bucket choice so that clients cannot aim at one bucket.
  ClientLog(size_t limit_bytes, uint64_t hash_key);

  struct Touch {
    ClientRecord* record;   // never null
    uint32_t index;         // slot index, stable while generation is unchanged
    bool is_new;            // first request of this client (or slot just recycled)
    bool recycled;          // another client's record was evicted to make room
    int64_t since_last_ns;  // time since this client's previous request (0 if new)
    uint8_t evicted_flags;  // flags of the record recycled to make room (when `recycled`)
  };
  // Finds or creates the record of `address` and records a request at `now`.
  Touch touch(const common::IpAddress& address, common::SysTime now);
  // Splits buckets until there are two per client (or the table has its full size): about
  // two splits per client added since the last call, plus those owed to evictions from full
  // buckets; each moves at most four records.
  // Moves records: call it where no record index is held (the worker: between batches, once
  // the error queue has been read).
  void grow();
  // Asks the CPU to start loading the bucket where `address` lives (a hint; no effect on
  // state). The worker issues it for a whole batch before touching any record, so that the
  // records' cache misses overlap instead of coming one after another.
  void prefetch(const common::IpAddress& address) const {
    __builtin_prefetch(records_ + bucketOf(address) * kBucketSize, 1, 3);
  }
  // Looks an address up without changing anything.
  const ClientRecord* find(const common::IpAddress& address) const;
  // A record by the index touch() returned. A split may move a record to another index; it
  // keeps its generation there, and the slot it left is freed with a bumped generation, so a
  // holder of (index, generation) sees the change.
  ClientRecord* recordAt(uint32_t index) { return records_ + index; }

  // Records the limit allows: the table's final size.
  size_t capacity() const { return max_buckets_ * kBucketSize; }
  // Records in the part of the table in use so far (grows to capacity()).
  size_t activeRecords() const { return (round_buckets_ + split_next_) * kBucketSize; }
  size_t used() const { return used_; }
  uint64_t recycledCount() const { return recycled_; }
  // The part of the table in use (free slots included).
  std::span<const ClientRecord> records() const { return {records_, activeRecords()}; }
  // Zeroes the request and drop counters of every record (chronyc `clients -r`).
  void resetCounters();

  static constexpr size_t kInitialBuckets = 256;  // 64 KB

 private:
  uint64_t hashOf(const uint8_t* address16) const;  // 16 bytes, as ClientRecord::address
  size_t bucketOf(uint64_t hash) const;
  size_t bucketOf(const common::IpAddress& address) const;
  void splitNext();

  common::AnonymousMemory memory_;  // capacity() records, zero (= free) until written
  ClientRecord* records_;           // memory_ as records
  size_t max_buckets_;
  size_t round_buckets_;   // buckets at the start of this round of splits (a power of two)
  size_t split_next_ = 0;  // the next bucket to split, < round_buckets_
  uint64_t hash_key_;
  size_t used_ = 0;
  uint64_t recycled_ = 0;
  size_t forced_splits_ = 0;  // splits owed to evictions from full buckets (see touch())
  static constexpr size_t kMaxSplitsPerGrow = 4096;  // bounds the pause of one grow() call
};

}  // namespace strata::server
