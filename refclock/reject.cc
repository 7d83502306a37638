#include "refclock/reject.h"

namespace strata::refclock {

const char* rejectReasonName(RejectReason r) {
  switch (r) {
    case RejectReason::kStale:
      return "stale sample";
    case RejectReason::kFromFuture:
      return "sample from the future";
    case RejectReason::kOutOfOrder:
      return "out-of-order sample";
    case RejectReason::kAbsurdOffset:
      return "absurd offset";
    case RejectReason::kBadDispersion:
      return "bad dispersion";
    case RejectReason::kPulseNoLock:
      return "pulse without a lock source or synchronised clock";
    case RejectReason::kLockStale:
      return "lock source sample too old";
    case RejectReason::kLockMismatch:
      return "lock source disagrees with the pulse";
    case RejectReason::kMaxDispersion:
      return "dispersion above maxdispersion";
    case RejectReason::kUnsynchronised:
      return "device not synchronised";
    case RejectReason::kBadSize:
      return "wrong size";
    case RejectReason::kBadMagic:
      return "bad magic";
    case RejectReason::kBadMode:
      return "bad mode";
    case RejectReason::kTornRead:
      return "segment changed while read";
    case RejectReason::kBadTimestamp:
      return "bad timestamp fields";
    case RejectReason::kDeviceError:
      return "device error";
    case RejectReason::kWidth:
      return "pulse outside the width window";
    case RejectReason::kLeapWindow:
      return "taken next to a leap second";
    case RejectReason::kOutlier:
      return "outlier against the source's statistics";
    case RejectReason::kCount:
      break;
  }
  return "?";
}

}  // namespace strata::refclock
