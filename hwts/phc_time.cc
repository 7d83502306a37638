#include "hwts/phc_time.h"

namespace strata::hwts {

namespace {

// Seconds that still fit int64 nanoseconds with room for the fraction.
constexpr int64_t kMaxSeconds = 9'223'372'035;

std::optional<int64_t> checkedNanos(int64_t sec, int64_t nsec) {
  if (nsec < 0 || nsec >= common::kNanosPerSecond) return std::nullopt;
  if (sec > kMaxSeconds || sec < -kMaxSeconds) return std::nullopt;
  return sec * common::kNanosPerSecond + nsec;
}

}  // namespace

std::optional<PhcTime> phcTimeFromTimespec(const timespec& ts) {
  auto ns = checkedNanos(ts.tv_sec, ts.tv_nsec);
  if (!ns) return std::nullopt;
  return PhcTime{*ns};
}

std::optional<PhcTime> phcTimeFromPtpClockTime(const ptp_clock_time& t) {
  auto ns = checkedNanos(t.sec, t.nsec);
  if (!ns) return std::nullopt;
  return PhcTime{*ns};
}

std::optional<common::SysTime> sysTimeFromPtpClockTime(const ptp_clock_time& t) {
  auto ns = checkedNanos(t.sec, t.nsec);
  if (!ns) return std::nullopt;
  return common::sysTimeFromNanos(*ns);
}

}  // namespace strata::hwts
