#pragma once
// Response rate limiting (`ratelimit`, `ntsratelimit`, `cmdratelimit`) and the client log
// (`clientloglimit`, `noclientlog`). Defaults are chrony's. Values; thread-compatible.

#include <cstdint>

namespace strata::config {

// One rate limiter. A directive line enables it and sets every option (unspecified options
// take the defaults of that directive). Without the directive there is no limiting.
struct RateLimitConfig {
  bool enabled = false;
  int interval_log2 = 3;  // minimum mean interval between responses, log2 s, -19..12
  int burst = 8;          // responses allowed in a burst, 1..255
  int leak = 2;           // 1 in 2^leak limited requests still answered, 1..4
  int kod = 0;            // `ratelimit` only: 1 in 2^kod limited requests gets a RATE
                          // kiss-o'-death instead of silence; 0 = never, 1..4

  friend bool operator==(const RateLimitConfig&, const RateLimitConfig&) = default;
};

// Defaults of each directive when present without options.
inline constexpr RateLimitConfig kNtpRateLimitDefaults{false, 3, 8, 2, 0};
inline constexpr RateLimitConfig kNtsRateLimitDefaults{false, 6, 8, 2, 0};
inline constexpr RateLimitConfig kCmdRateLimitDefaults{false, -4, 8, 2, 0};

struct ClientLogConfig {
  bool enabled = true;            // `noclientlog` turns it off (and interleaved mode)
  uint64_t limit_bytes = 524288;  // `clientloglimit`, 0..2^32

  friend bool operator==(const ClientLogConfig&, const ClientLogConfig&) = default;
};

}  // namespace strata::config
