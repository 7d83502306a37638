#pragma once
// One reference clock as the TimeKeeper and the drivers need it (driver, its options, the
// source options), and the factory that opens the driver. The chrony.conf `refclock`
// directive is parsed by server/config; the daemon maps it onto this
// (server/stratad/refclock_mapping.h). createRefclockDriver opens devices.

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "refclock/drivers/phc.h"
#include "refclock/drivers/pps.h"
#include "refclock/drivers/shm.h"
#include "refclock/drivers/sock.h"
#include "refclock/source_options.h"

namespace strata::refclock {

enum class RefclockDriverKind : uint8_t { kPhc, kPps, kShm, kSock };

struct RefclockConfig {
  RefclockDriverKind driver = RefclockDriverKind::kShm;
  std::string parameter;  // PHC device or interface, PPS device, SHM unit, SOCK path
  SourceOptions source;
  int dpoll_log2 = 0;
  ShmOptions shm;
  SockOptions sock;
  PpsOptions pps;
  PhcOptions phc;
};

// How to open a PHC: the daemon binds this to hwts (device path or interface name).
using PhcReaderFactory = std::function<common::Result<std::unique_ptr<PhcReader>>(
    const std::string& device_or_interface, const PhcOptions& options)>;

common::Result<std::unique_ptr<RefclockDriver>> createRefclockDriver(
    const RefclockConfig& config, const PhcReaderFactory& phc_factory);

}  // namespace strata::refclock
