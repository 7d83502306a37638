#pragma once
// The `refclock` directive of chrony.conf, parsed into what the TimeKeeper and the drivers
// need, and the factory that opens the driver:
//   refclock DRIVER PARAMETER[:OPTION]... [OPTION VALUE | FLAG]...
// DRIVER is PHC, PPS, SHM or SOCK. Defaults are chrony's (poll 4, dpoll 0, filter 64,
// delay 1e-9, refid = first three letters of the driver + the refclock's index).
//
// parseRefclockDirective is pure (fuzzed); createRefclockDriver opens devices. The config
// reader (server/config) tokenises the line and reports errors with file:line.

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

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

// `words` are the directive's words after "refclock". `index` numbers this refclock among
// the configured ones (for the default refid). Errors name the offending word.
common::Result<RefclockConfig> parseRefclockDirective(std::span<const std::string_view> words,
                                                      int index);

// How to open a PHC: the daemon binds this to hwts (device path or interface name).
using PhcReaderFactory = std::function<common::Result<std::unique_ptr<PhcReader>>(
    const std::string& device_or_interface, const PhcOptions& options)>;

common::Result<std::unique_ptr<RefclockDriver>> createRefclockDriver(
    const RefclockConfig& config, const PhcReaderFactory& phc_factory);

}  // namespace strata::refclock
