#pragma once
// From the typed configuration to what the serving path needs: bind addresses, worker
// options, access table, rate limits. Pure.

#include "common/result.h"
#include "server/access_table.h"
#include "server/config/config.h"
#include "server/serving_engine.h"
#include "server/stratad/command_line.h"

namespace strata::stratad {

// Addresses to bind: every `bindaddress` (in order) or, without any, 0.0.0.0 and :: —
// filtered by -4/-6 — all on `port`.
std::vector<common::SocketAddress> servingAddresses(const config::Config& config,
                                                    const CommandLine& command_line);

server::ServingOptions servingOptions(const config::Config& config,
                                      const CommandLine& command_line);

// allow/deny rules applied in file order.
server::AccessTable accessTable(const config::AccessConfig& access);

server::RateLimitParams rateLimitParams(const config::RateLimitConfig& ratelimit);

}  // namespace strata::stratad
