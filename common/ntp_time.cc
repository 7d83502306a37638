#include "common/ntp_time.h"

#include <cmath>
#include <limits>

namespace strata::common {

namespace {
constexpr uint64_t kFracPerSecond = uint64_t{1} << 32;

// Floor division for signed values (C++ rounds toward zero).
constexpr int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
}  // namespace

SysTime sysTimeFromTimespec(const timespec& ts) {
  return sysTimeFromNanos(static_cast<int64_t>(ts.tv_sec) * kNanosPerSecond + ts.tv_nsec);
}

timespec timespecFromSysTime(SysTime t) {
  int64_t ns = nanosSinceEpoch(t);
  int64_t sec = floorDiv(ns, kNanosPerSecond);
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(sec);
  ts.tv_nsec = static_cast<long>(ns - sec * kNanosPerSecond);
  return ts;
}

Nanos nanosFromSeconds(double seconds) {
  double ns = std::nearbyint(seconds * 1e9);
  if (!(ns < 9.2e18)) return Nanos(std::numeric_limits<int64_t>::max());
  if (!(ns > -9.2e18)) return Nanos(std::numeric_limits<int64_t>::min());
  return Nanos(static_cast<int64_t>(ns));
}

NtpTimestamp NtpTimestamp::fromSysTime(SysTime t) {
  int64_t ns = nanosSinceEpoch(t);
  int64_t unix_sec = floorDiv(ns, kNanosPerSecond);
  uint64_t sub_ns = static_cast<uint64_t>(ns - unix_sec * kNanosPerSecond);
  // Round up: the fraction of sub_ns is then never below it, and converting back with
  // truncation gives sub_ns again.
  uint64_t frac = ((sub_ns << 32) + (kNanosPerSecond - 1)) / kNanosPerSecond;
  uint32_t ntp_sec = static_cast<uint32_t>(static_cast<uint64_t>(unix_sec + kNtpToUnixSeconds));
  return fromParts(ntp_sec, static_cast<uint32_t>(frac));
}

SysTime NtpTimestamp::toSysTime(SysTime pivot) const {
  int64_t pivot_ns = nanosSinceEpoch(pivot);
  int64_t pivot_ntp_sec = floorDiv(pivot_ns, kNanosPerSecond) + kNtpToUnixSeconds;
  // Signed distance in seconds from the pivot's second within the 2^32 s NTP era.
  int32_t delta = static_cast<int32_t>(seconds() - static_cast<uint32_t>(pivot_ntp_sec));
  int64_t unix_sec = pivot_ntp_sec + delta - kNtpToUnixSeconds;
  int64_t sub_ns = static_cast<int64_t>((static_cast<uint64_t>(fraction()) * kNanosPerSecond) >> 32);
  return sysTimeFromNanos(unix_sec * kNanosPerSecond + sub_ns);
}

Nanos ntpDifference(NtpTimestamp a, NtpTimestamp b) {
  // Two's complement difference of the 32.32 values, as a signed 32.32 value.
  int64_t diff = static_cast<int64_t>(a.raw() - b.raw());
  int64_t sec = diff >> 32;  // arithmetic shift: floor
  uint64_t frac = static_cast<uint64_t>(diff) & 0xFFFFFFFFu;
  return Nanos(sec * kNanosPerSecond +
               static_cast<int64_t>((frac * kNanosPerSecond + (uint64_t{1} << 31)) >> 32));
}

NtpShort NtpShort::fromNanos(Nanos d) {
  int64_t ns = d.count();
  if (ns <= 0) return NtpShort(0);
  constexpr int64_t kMaxNs = int64_t{65536} * kNanosPerSecond;
  if (ns >= kMaxNs) return NtpShort(0xFFFFFFFFu);
  uint64_t raw = (static_cast<uint64_t>(ns) * 65536 + (kNanosPerSecond - 1)) / kNanosPerSecond;
  return NtpShort(raw > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(raw));
}

Nanos NtpShort::toNanos() const {
  return Nanos(static_cast<int64_t>((static_cast<uint64_t>(raw_) * kNanosPerSecond) >> 16));
}

static_assert(kFracPerSecond == 4294967296u);

}  // namespace strata::common
