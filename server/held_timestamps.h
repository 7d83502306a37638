#pragma once
// HeldTimestamps: the receive and transmit timestamps of earlier replies to interleaved-mode
// clients, beyond the last pair each client record keeps. One per serving worker.
//
// Why: an interleaved request names the reply it answers by its origin field, the receive
// timestamp of the last reply the client got. When replies are late (a queue of requests
// in the server's socket as long as the client's poll interval) or lost, the client names
// an exchange before the last one; with only the last pair the server can answer those in
// basic mode only. Measured before this table existed: at 0.8 x the basic-mode maximum
// rate, runs with such a queue got 20-80 % of interleaved clients' replies interleaved.
//
// How: a ring of pairs in the order they were saved, overwritten oldest first, so a pair is
// held for exactly capacity() later saves. Each saved pair is numbered (a 32-bit sequence
// number, never 0) and links to the number of the same client's previous saved pair; the
// client's record keeps the number of its newest one. Looking up an origin follows that
// chain (at most kMaxSteps links) and compares receive timestamps exactly. A number whose
// pair has been overwritten is recognised by its age (the ring keeps the last capacity()
// numbers), so a chain never leads into another client's pairs: the pairs it reaches were
// all saved from one record, and a recycled record starts with no chain. Numbers repeat
// after 2^32 saves, so the request handler drops the chain of a client idle for an hour
// (2^32 saves in an hour would take 1.2 million saves/s).
//
// Memory: capacity() x 24 bytes, reserved once as anonymous memory (pages are given on
// first write, so resident memory follows the pairs saved). The worker takes it from
// `clientloglimit` (see Worker).
//
// Thread-safety: single-threaded (the owning worker).

#include <cstddef>
#include <cstdint>

#include "common/anonymous_memory.h"

namespace strata::server {

struct HeldPair {
  uint64_t rx_ntp = 0;  // receive timestamp of the reply (NTP raw, lowest bit set)
  uint64_t tx_ntp = 0;  // its transmit timestamp (NTP raw)
  uint32_t older = 0;   // sequence number of the same client's previous pair; 0 = none
  uint8_t flags = 0;    // ClientRecord::kFlagTxPrecise / kFlagTxHardware for tx_ntp
};
static_assert(sizeof(HeldPair) == 24);

class HeldTimestamps {
 public:
  static constexpr int kMaxSteps = 8;  // chain links followed by find()

  // Holds floor(bytes / 24) pairs; with fewer than one, save() keeps nothing.
  explicit HeldTimestamps(size_t bytes);

  // Saves a pair whose client's previous saved pair is `older` (0 = none) and returns its
  // sequence number for the client's record (0 once per 2^32 saves: the pair is then
  // unreachable, and the client's next reply may be basic).
  uint32_t save(uint64_t rx_ntp, uint64_t tx_ntp, uint8_t flags, uint32_t older);
  // The pair with receive timestamp `rx_ntp` in the chain that starts at `newest`, or null.
  HeldPair* find(uint32_t newest, uint64_t rx_ntp);

  size_t capacity() const { return capacity_; }
  // Pairs held now (saves so far, up to capacity()).
  size_t held() const { return saved_ < capacity_ ? static_cast<size_t>(saved_) : capacity_; }
  uint64_t savedCount() const { return saved_; }
  // Receive time of the newest pair minus that of the oldest one held, nanoseconds (0 with
  // fewer than two; never negative).
  int64_t spanNs() const;

 private:
  // The pair numbered `seq` if it is still held, else null.
  HeldPair* live(uint32_t seq);

  common::AnonymousMemory memory_;
  HeldPair* pairs_ = nullptr;  // memory_ as capacity_ pairs
  size_t capacity_ = 0;
  uint64_t saved_ = 0;  // pairs saved so far; the next one is number saved_ + 1 (mod 2^32)
  size_t next_slot_ = 0;  // saved_ % capacity_
  uint64_t newest_rx_ = 0;
};

}  // namespace strata::server
