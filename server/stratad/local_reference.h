#pragma once
// What stratad serves while no time keeper has a usable source: with `local stratum N`, the
// local clock as a stratum-N reference (refid 127.127.1.1, as chronyd's local reference);
// without it, "not synchronised" (leap 3, stratum 16) so clients do not follow it. Pure.

#include "common/ntp_time.h"
#include "proto/server_state.h"
#include "server/config/serving_config.h"

namespace strata::stratad {

inline constexpr uint32_t kLocalReferenceId = 0x7F7F0101;  // 127.127.1.1

proto::ServerState localReferenceState(const config::LocalReferenceConfig& local,
                                       common::SysTime now, int8_t precision_log2);

}  // namespace strata::stratad
