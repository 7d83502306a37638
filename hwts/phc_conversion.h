#pragma once
// PhcConversion: the parameters that turn a PHC time (a raw hardware timestamp) into system
// time, and phcToSystem(), the pure function that applies them.
//
// Lock-free use by serving threads: the thread that reads the PHC owns a PhcTimeModel and,
// after each sample, publishes model.conversion() through a common::SeqLock<PhcConversion>;
// workers do
//     PhcConversion c = seqlock.load();                // a consistent copy, no locks
//     std::optional<SysTime> t = phcToSystem(c, hw);   // pure
// and fall back to the kernel's software timestamp when it returns nullopt (model not ready,
// suspended after a suspected jump, or the timestamp lies outside the model's range).
//
// system(phc) = phc + offset_ns + freq * (phc - phc_ref_ns), for valid_from_ns <= phc <=
// valid_until_ns. Trivially copyable, 48 bytes.

#include <cmath>
#include <cstdint>
#include <optional>
#include <type_traits>

#include "common/ntp_time.h"
#include "hwts/phc_time.h"

namespace strata::hwts {

struct PhcConversion {
  int64_t phc_ref_ns = 0;     // PHC time at which offset_ns is exact
  int64_t offset_ns = 0;      // system - PHC at phc_ref_ns
  double freq = 0.0;          // d(system - PHC) / d(PHC), e.g. 2e-6 = PHC 2 ppm slow
  int64_t valid_from_ns = 0;  // PHC range the model answers for
  int64_t valid_until_ns = 0;
  uint32_t generation = 0;  // incremented on every model reset (PHC or system jump)
  uint32_t valid = 0;       // 0: no conversion available

  friend bool operator==(const PhcConversion&, const PhcConversion&) = default;
};
static_assert(std::is_trivially_copyable_v<PhcConversion>);
static_assert(sizeof(PhcConversion) == 48);

// System time of a PHC time, or nullopt if the conversion is not valid for it. Pure;
// safe for any input (ranges are checked before arithmetic).
inline std::optional<common::SysTime> phcToSystem(const PhcConversion& c, PhcTime phc) {
  if (c.valid == 0 || phc.ns < c.valid_from_ns || phc.ns > c.valid_until_ns) return std::nullopt;
  int64_t dx, sys_ns;
  if (__builtin_sub_overflow(phc.ns, c.phc_ref_ns, &dx)) return std::nullopt;
  const double drift = c.freq * static_cast<double>(dx);
  if (!(std::fabs(drift) < 9e18)) return std::nullopt;
  if (__builtin_add_overflow(phc.ns, c.offset_ns, &sys_ns) ||
      __builtin_add_overflow(sys_ns, std::llround(drift), &sys_ns)) {
    return std::nullopt;
  }
  return common::sysTimeFromNanos(sys_ns);
}

}  // namespace strata::hwts
