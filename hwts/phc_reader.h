#pragma once
// How to compare a PHC with the system clock: probe the device once for the best method
// (PTP_SYS_OFFSET_PRECISE, then PTP_SYS_OFFSET_EXTENDED, then PTP_SYS_OFFSET; `nocrossts`
// skips the first), then on each read() take a burst of triplets and keep the narrowest
// one (shortest sys-after minus sys-before interval: least disturbed by preemption and bus
// delays), with the system time at its midpoint.
//
// The selection itself is a pure function (narrowestTriplet) for tests and fuzzing.
// Not thread-safe: the thread that owns the device reads.

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/ntp_time.h"
#include "common/result.h"
#include "hwts/phc_device.h"

namespace strata::hwts {

enum class PhcReadMethod : uint8_t { kPrecise, kExtended, kBasic };
std::string_view phcReadMethodName(PhcReadMethod method);  // "cross-timestamp", ...

// One comparison of the PHC with the system clock.
struct PhcSample {
  PhcTime phc;
  common::SysTime sys;     // system time at the same instant (midpoint for triplets)
  common::Nanos delay{0};  // width of the triplet's interval (0 for a cross-timestamp)
  PhcReadMethod method = PhcReadMethod::kBasic;
};

// The narrowest well-formed triplet (sys_after >= sys_before) as a sample, or nullopt if
// there is none. Pure.
std::optional<PhcSample> narrowestTriplet(std::span<const PhcTriplet> triplets,
                                          PhcReadMethod method);

struct PhcReaderOptions {
  bool no_cross_ts = false;  // chrony's `nocrossts`
  int triplets = 10;         // per read, 1..kPhcMaxTriplets
};

class PhcReader {
 public:
  PhcReader(PhcDevice& device, PhcReaderOptions options);

  // Probes on first use; afterwards uses the chosen method. Errors name the device.
  common::Result<PhcSample> read();
  // The method in use, once probed.
  std::optional<PhcReadMethod> method() const { return method_; }

 private:
  int readWith(PhcReadMethod method, PhcSample& out);

  PhcDevice& device_;
  PhcReaderOptions options_;
  std::optional<PhcReadMethod> method_;
  std::array<PhcTriplet, kPhcMaxTriplets> buffer_{};
};

}  // namespace strata::hwts
