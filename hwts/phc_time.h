#pragma once
// PhcTime: a reading of a PTP hardware clock (PHC), in nanoseconds since the PHC's own epoch.
// A PHC is usually kept on TAI or left free-running from 0 at boot, so a PhcTime is not a
// SysTime; only the conversion model (phc_conversion.h) maps one to the other. Hardware
// packet timestamps (SCM_TIMESTAMPING ts[2]) are PhcTimes. Pure value; thread-compatible.

#include <linux/ptp_clock.h>

#include <compare>
#include <cstdint>
#include <ctime>
#include <optional>

#include "common/ntp_time.h"

namespace strata::hwts {

struct PhcTime {
  int64_t ns = 0;

  friend constexpr auto operator<=>(PhcTime, PhcTime) = default;
  friend constexpr common::Nanos operator-(PhcTime a, PhcTime b) {
    return common::Nanos(a.ns - b.ns);
  }
  friend constexpr PhcTime operator+(PhcTime a, common::Nanos d) {
    return PhcTime{a.ns + d.count()};
  }
};

// From a kernel timestamp; nullopt if it is out of range (nsec >= 1e9, or seconds beyond
// what int64 nanoseconds can hold: device data is not trusted).
std::optional<PhcTime> phcTimeFromTimespec(const timespec& ts);
std::optional<PhcTime> phcTimeFromPtpClockTime(const ptp_clock_time& t);
// A system-clock reading from struct ptp_clock_time (the PTP_SYS_OFFSET* ioctls), checked
// the same way.
std::optional<common::SysTime> sysTimeFromPtpClockTime(const ptp_clock_time& t);

}  // namespace strata::hwts
