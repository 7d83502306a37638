#pragma once
// From a parsed `refclock` directive (config::RefclockConfig) to what the reference-clock
// pipeline runs (refclock::RefclockConfig: driver, its options, the source options).
// The chrony.conf syntax is parsed once, by server/config; this only maps and checks what
// needs the whole picture (a refclock may not lock to itself). Pure.

#include "common/result.h"
#include "refclock/refclock_config.h"
#include "server/config/refclock_config.h"

namespace strata::stratad {

// `index` is the refclock's position among the refclock directives (0-based): the default
// refid is the driver name's first three letters and the index (PHC0, SHM1, SOC2), as chrony.
common::Result<refclock::RefclockConfig> refclockConfigFor(const config::RefclockConfig& config,
                                                           int index);

}  // namespace strata::stratad
