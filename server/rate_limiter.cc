#include "server/rate_limiter.h"

#include <algorithm>

namespace strata::server {

RateDecision rateLimit(const RateLimitParams& p, ClientRecord& r, bool first_request,
                       int64_t since_last_ns, FastRandom& random) {
  if (!p.enabled) return RateDecision::kAnswer;
  constexpr int kShift = 20;  // token fraction bits
  constexpr int64_t kOne = int64_t{1} << kShift;
  const int64_t full = static_cast<int64_t>(p.burst) * kOne;
  int64_t tokens = first_request ? full : r.tokens_q20;
  if (!first_request && since_last_ns > 0) {
    // One token per 2^interval s; fractions are kept so that a client polling faster than
    // that still earns its share.
    const int64_t period_ns =
        p.interval_log2 >= 0 ? int64_t{1'000'000'000} << p.interval_log2
                             : std::max<int64_t>(1, int64_t{1'000'000'000} >> -p.interval_log2);
    const int64_t elapsed = std::min(since_last_ns, period_ns * (p.burst + 1));
    // Whole periods and the remainder separately: remainder * 2^20 < 2^12 s * 2^20 < 2^63.
    const int64_t gained = (elapsed / period_ns) * kOne + (elapsed % period_ns) * kOne / period_ns;
    tokens = std::min(full, tokens + gained);
  }
  if (tokens >= kOne) {
    r.tokens_q20 = static_cast<uint32_t>(tokens - kOne);
    return RateDecision::kAnswer;
  }
  r.tokens_q20 = static_cast<uint32_t>(tokens);
  uint64_t lottery = random.next();
  if ((lottery & ((uint64_t{1} << p.leak_log2) - 1)) == 0) return RateDecision::kLeak;
  if (p.kod_log2 > 0 && ((lottery >> 8) & ((uint64_t{1} << p.kod_log2) - 1)) == 0) {
    return RateDecision::kKod;
  }
  return RateDecision::kDrop;
}

}  // namespace strata::server
