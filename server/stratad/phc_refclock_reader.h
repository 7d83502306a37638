#pragma once
// The `refclock PHC` driver's access to a real PTP hardware clock, bound to hwts: offset
// readings through hwts::PhcReader (cross-timestamp, extended or basic, probed once, narrowest
// triplet), and for `extpps` the external-timestamp events of a pin/channel
// (PTP_PIN_SETFUNC, PTP_EXTTS_REQUEST, read()). Only the failure paths can be exercised on a
// machine without a PHC; the driver logic itself is tested with fakes in refclock/.
//
// Thread-safety: the TimeKeeper thread only.

#include <memory>
#include <string>

#include "common/result.h"
#include "refclock/drivers/phc.h"

namespace strata::stratad {

// Opens /dev/ptpN or the PHC of an interface; the factory `refclock PHC` uses.
common::Result<std::unique_ptr<refclock::PhcReader>> openPhcRefclockReader(
    const std::string& device_or_interface, const refclock::PhcOptions& options);

}  // namespace strata::stratad
