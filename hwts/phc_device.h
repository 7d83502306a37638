#pragma once
// PhcDevice: the raw operations of a PTP hardware clock that comparing it with the system
// clock needs, mirroring the three kernel ioctls:
//   - crossTimestamp(): PTP_SYS_OFFSET_PRECISE, a simultaneous (PHC, system) pair taken by
//     the hardware (e.g. PCIe PTM / ART), no read delay;
//   - extendedReadings(): PTP_SYS_OFFSET_EXTENDED, (system, PHC, system) triplets taken by
//     the driver right around the PHC register read;
//   - basicReadings(): PTP_SYS_OFFSET, alternating system/PHC readings taken by the PTP core
//     (wider intervals: they include the driver's locking).
// Each returns 0 or an errno value (EOPNOTSUPP / ENOTTY / EINVAL when the device does not
// offer the method). The reading strategy (phc_reader.h) chooses among them.
//
// Implementations: KernelPhcDevice (/dev/ptpN), FakePhc (tests, simulations).
// Not thread-safe: one thread owns a device.

#include <span>
#include <string>

#include "common/ntp_time.h"
#include "hwts/phc_time.h"

namespace strata::hwts {

// The PHC read between two system-clock reads.
struct PhcTriplet {
  common::SysTime sys_before;
  PhcTime phc;
  common::SysTime sys_after;
};

struct PhcCrossTimestamp {
  PhcTime phc;
  common::SysTime sys;
};

// The kernel caps one reading at PTP_MAX_SAMPLES (25) triplets.
inline constexpr int kPhcMaxTriplets = 25;

class PhcDevice {
 public:
  virtual ~PhcDevice() = default;
  // For messages: "/dev/ptp0", "fake PHC".
  virtual std::string name() const = 0;
  virtual int crossTimestamp(PhcCrossTimestamp& out) = 0;
  // Fill out[0..n) (n = out.size() <= kPhcMaxTriplets); on success all n are set.
  virtual int extendedReadings(std::span<PhcTriplet> out) = 0;
  virtual int basicReadings(std::span<PhcTriplet> out) = 0;
};

}  // namespace strata::hwts
