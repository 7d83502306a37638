#pragma once
// NTP response rate limiting with chrony's `ratelimit` semantics, per client address:
//  - a bucket holds up to `burst` tokens and gains one token every 2^interval seconds;
//  - a request that finds a token takes it and is answered;
//  - a request that finds none is limited: it is still answered with probability 2^-leak
//    (so a spoofed source cannot cut a real client off completely), else, if kod > 0,
//    answered with a KoD RATE reply with probability 2^-kod, else dropped.
// A limited request never produces more than one reply: nothing is amplified.
//
// Pure: state lives in the ClientRecord, randomness comes from the caller's generator.

#include <cstdint>

#include "server/client_log.h"

namespace strata::server {

struct RateLimitParams {
  bool enabled = false;  // no `ratelimit` line: no limiting (chrony's default)
  int interval_log2 = 3;  // one token per 2^interval s (chrony: -19..12)
  int burst = 8;          // bucket size, 1..255
  int leak_log2 = 2;      // 1..4
  int kod_log2 = 0;       // 0 = no KoD RATE, 1..4
};

enum class RateDecision : uint8_t { kAnswer, kLeak, kKod, kDrop };

// Small, fast generator for the leak/kod lottery (xorshift64*). Not for cryptography.
class FastRandom {
 public:
  explicit FastRandom(uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ULL) {}
  uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }

 private:
  uint64_t state_;
};

// Updates `record`'s bucket for a request arriving `since_last_ns` after the previous one
// (the caller passes 0 for a client's first request, whose bucket starts full) and decides.
RateDecision rateLimit(const RateLimitParams& params, ClientRecord& record, bool first_request,
                       int64_t since_last_ns, FastRandom& random);

}  // namespace strata::server
