#pragma once
// Reference clocks: `refclock DRIVER PARAMETER[:OPTION]... [OPTION]...`. Defaults are
// chrony's. Durations are common::Nanos parsed from seconds; poll intervals log2 seconds.
// Values; thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ntp_time.h"

namespace strata::config {

enum class RefclockDriver : uint8_t { kPhc, kPps, kShm, kSock };

// "PHC", "PPS", "SHM", "SOCK".
constexpr std::string_view refclockDriverName(RefclockDriver driver) {
  switch (driver) {
    case RefclockDriver::kPhc:
      return "PHC";
    case RefclockDriver::kPps:
      return "PPS";
    case RefclockDriver::kShm:
      return "SHM";
    case RefclockDriver::kSock:
      return "SOCK";
  }
  return "?";
}

struct RefclockConfig {
  RefclockDriver driver = RefclockDriver::kPhc;
  // The driver parameter without its `:` options: PHC: /dev/ptpN or an interface name;
  // PPS: /dev/ppsN; SHM: the segment number (digits); SOCK: the socket path.
  std::string device;

  // Driver options appended to the parameter with `:`.
  bool phc_nocrossts = false;  // PHC `nocrossts`
  bool phc_extpps = false;     // PHC `extpps`
  int phc_pin = 0;             // PHC `pin=N`, -1..255 (-1: no pin configuration)
  int phc_channel = 0;         // PHC `channel=N`, 0..255
  bool clear = false;          // PHC/PPS `clear`: use clear (falling) edges
  int shm_perm = 0600;         // SHM `perm=MODE` (octal in the file), 0..0777

  // Options after the parameter.
  int poll_log2 = 4;       // `poll`, -7..24
  int dpoll_log2 = 0;      // `dpoll`, -7..24
  std::string refid;       // `refid`, up to 4 characters; empty = automatic (e.g. PHC0)
  std::string lock_refid;  // `lock`, up to 4 characters; empty = not locked
  int rate_hz = 1;         // `rate`, pulses per second
  common::Nanos offset = common::Nanos(0);
  common::Nanos delay = common::Nanos(1);       // `delay`, default 1e-9 s
  std::optional<common::Nanos> precision;       // unset = precision of the system clock
  std::optional<common::Nanos> max_dispersion;  // unset = no limit
  int max_lock_age = 2;                         // `maxlockage`, in pulses
  int filter_length = 64;                       // `filter`, samples of the median filter
  bool prefer = false;
  bool noselect = false;
  bool trust = false;
  bool require = false;
  bool pps = false;                        // treat as a PPS refclock
  bool tai = false;                        // the clock keeps TAI
  bool local = false;                      // an unsynchronised but stable local standard
  common::Nanos width = common::Nanos(0);  // `width` of the pulses; 0 = unknown
  int stratum = 0;                         // 0..15
  std::optional<int> min_samples;
  std::optional<int> max_samples;

  friend bool operator==(const RefclockConfig&, const RefclockConfig&) = default;
};

}  // namespace strata::config
