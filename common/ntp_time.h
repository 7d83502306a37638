#pragma once
// Time types shared by every layer.
//
//  - Nanos:        signed duration, nanoseconds (±292 years).
//  - SysTime:      a point on the POSIX UTC timescale (CLOCK_REALTIME), nanoseconds since
//                  1970-01-01T00:00:00Z. Kernel timestamps and clock readings use it.
//  - NtpTimestamp: the 64-bit NTP wire format, 32.32 fixed point seconds since the start of
//                  the current NTP era (era 0 began 1900-01-01). The era is not carried; it is
//                  recovered by taking the value nearest to a pivot time.
//  - NtpShort:     the 32-bit NTP short format, 16.16 fixed point seconds (root delay and
//                  root dispersion), unsigned.
//
// Everything here is pure and thread-compatible (values, no shared state).

#include <chrono>
#include <cstdint>
#include <ctime>

namespace strata::common {

using Nanos = std::chrono::duration<int64_t, std::nano>;
using SysTime = std::chrono::sys_time<Nanos>;

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
// Seconds from the NTP prime epoch (1900-01-01) to the Unix epoch (1970-01-01).
inline constexpr int64_t kNtpToUnixSeconds = 2'208'988'800;

constexpr SysTime sysTimeFromNanos(int64_t ns_since_epoch) { return SysTime(Nanos(ns_since_epoch)); }
constexpr int64_t nanosSinceEpoch(SysTime t) { return t.time_since_epoch().count(); }

SysTime sysTimeFromTimespec(const timespec& ts);
timespec timespecFromSysTime(SysTime t);

// Seconds (as double) of a duration; for statistics and printing only.
constexpr double toSeconds(Nanos d) { return static_cast<double>(d.count()) * 1e-9; }
// Nearest duration to `seconds`, saturating at the Nanos range.
Nanos nanosFromSeconds(double seconds);

class NtpTimestamp {
 public:
  constexpr NtpTimestamp() = default;
  static constexpr NtpTimestamp fromRaw(uint64_t raw) { return NtpTimestamp(raw); }
  static constexpr NtpTimestamp fromParts(uint32_t seconds, uint32_t fraction) {
    return NtpTimestamp((static_cast<uint64_t>(seconds) << 32) | fraction);
  }
  // The NTP timestamp of a point on the UTC timescale. Sub-nanosecond fraction bits are
  // rounded up so that toSysTime(fromSysTime(t)) == t exactly (for t within ±68 years of the
  // pivot). The era is dropped.
  static NtpTimestamp fromSysTime(SysTime t);
  static NtpTimestamp fromTimespec(const timespec& ts) { return fromSysTime(sysTimeFromTimespec(ts)); }

  constexpr uint64_t raw() const { return raw_; }
  constexpr uint32_t seconds() const { return static_cast<uint32_t>(raw_ >> 32); }
  constexpr uint32_t fraction() const { return static_cast<uint32_t>(raw_); }
  constexpr bool isZero() const { return raw_ == 0; }
  // Lowest bit of the fraction; interleaved mode (RFC 9769) uses it to tell receive
  // timestamps (1) from transmit timestamps (0).
  constexpr bool lowBit() const { return (raw_ & 1) != 0; }
  constexpr NtpTimestamp withLowBit(bool bit) const {
    return NtpTimestamp((raw_ & ~uint64_t{1}) | (bit ? 1 : 0));
  }

  // The point on the UTC timescale that this timestamp denotes, choosing the NTP era that puts
  // it within [-2^31, 2^31) seconds of `pivot`. Works across the 2036 era rollover and, with
  // 64-bit time_t, past 2038.
  SysTime toSysTime(SysTime pivot) const;

  friend constexpr bool operator==(NtpTimestamp a, NtpTimestamp b) = default;

 private:
  constexpr explicit NtpTimestamp(uint64_t raw) : raw_(raw) {}
  uint64_t raw_ = 0;
};

// a - b, for two NTP timestamps less than 2^31 seconds apart (wrap-around aware, era-free).
// Rounded to the nearest nanosecond.
Nanos ntpDifference(NtpTimestamp a, NtpTimestamp b);

// NTP short format, 16.16 fixed point seconds. Used for root delay and root dispersion.
class NtpShort {
 public:
  constexpr NtpShort() = default;
  static constexpr NtpShort fromRaw(uint32_t raw) { return NtpShort(raw); }
  // Rounds up to the next 2^-16 s so that a nonzero duration never becomes zero; negative
  // durations give 0 and durations of 65536 s or more saturate at the largest value.
  static NtpShort fromNanos(Nanos d);
  constexpr uint32_t raw() const { return raw_; }
  Nanos toNanos() const;
  friend constexpr bool operator==(NtpShort a, NtpShort b) = default;

 private:
  constexpr explicit NtpShort(uint32_t raw) : raw_(raw) {}
  uint32_t raw_ = 0;
};

}  // namespace strata::common
