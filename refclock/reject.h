#pragma once
// Why a sample (or a device reading) was not used. Counted per source; the first occurrence
// of each reason per source is logged with a clear line, the rest only counted.

#include <array>
#include <cstddef>
#include <cstdint>

namespace strata::refclock {

enum class RejectReason : uint8_t {
  kStale,           // older than the source's staleness limit
  kFromFuture,      // stamped later than now
  kOutOfOrder,      // not later than the source's previous sample
  kAbsurdOffset,    // beyond any plausible offset
  kBadDispersion,   // negative or absurd error bound
  kPulseNoLock,     // PPS edge with nothing to complete the seconds (no lock, not synced)
  kLockStale,       // the lock source's last sample is too old
  kLockMismatch,    // the lock source disagrees with the pulse by too much
  kMaxDispersion,   // filtered sample above maxdispersion
  kUnsynchronised,  // the device says it is not synchronised (leap 3)
  kBadSize,         // SHM segment / SOCK datagram of the wrong size
  kBadMagic,        // SOCK magic mismatch
  kBadMode,         // SHM mode other than 0 or 1
  kTornRead,        // SHM mode 1: the writer changed the segment while it was read
  kBadTimestamp,    // fields out of range (nanoseconds >= 1e9, negative seconds ...)
  kDeviceError,     // reading the device failed
  kWidth,           // PPS edge outside the configured pulse width window
  kLeapWindow,      // taken within two seconds of a leap second
  kOutlier,         // far outside what the source's own statistics predict
  kCount
};
inline constexpr size_t kRejectReasonCount = static_cast<size_t>(RejectReason::kCount);

const char* rejectReasonName(RejectReason r);

using RejectCounters = std::array<uint64_t, kRejectReasonCount>;

}  // namespace strata::refclock
