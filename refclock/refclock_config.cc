#include "refclock/refclock_config.h"

#include <string>

namespace strata::refclock {

using common::makeError;

common::Result<std::unique_ptr<RefclockDriver>> createRefclockDriver(
    const RefclockConfig& c, const PhcReaderFactory& phc_factory) {
  switch (c.driver) {
    case RefclockDriverKind::kShm:
      return std::unique_ptr<RefclockDriver>(std::make_unique<ShmDriver>(c.shm));
    case RefclockDriverKind::kSock: {
      auto d = SockDriver::open(c.sock);
      if (!d) return d.error();
      return std::unique_ptr<RefclockDriver>(std::move(*d));
    }
    case RefclockDriverKind::kPps: {
      auto dev = LinuxPpsDevice::open(c.parameter, c.pps.clear);
      if (!dev) return dev.error();
      return std::unique_ptr<RefclockDriver>(std::make_unique<PpsDriver>(std::move(*dev), c.pps));
    }
    case RefclockDriverKind::kPhc: {
      if (!phc_factory) return makeError("refclock PHC: no PHC access in this build");
      auto reader = phc_factory(c.parameter, c.phc);
      if (!reader) return reader.error();
      return std::unique_ptr<RefclockDriver>(
          std::make_unique<PhcDriver>(std::move(*reader), c.phc));
    }
  }
  return makeError("refclock: unknown driver");
}

}  // namespace strata::refclock
