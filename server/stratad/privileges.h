#pragma once
// Privilege drop after start-up (-u USER / `user`), as chronyd does it: switch to the user's
// uid/gid and supplementary groups, keeping only the capabilities the daemon still needs:
// CAP_SYS_TIME when it steers the kernel clock, CAP_NET_BIND_SERVICE for sockets on
// privileged ports opened later (sources, reloads). Everything is already bound/opened by
// then. Call once, before starting threads.

#include <string>

#include "common/result.h"

namespace strata::stratad {

common::Result<void> dropPrivileges(const std::string& user, bool keep_sys_time);

}  // namespace strata::stratad
