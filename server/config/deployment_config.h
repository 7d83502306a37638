#pragma once
// Process-level settings: pid file, user, scheduling, memory locking, dump directory.
// Values; thread-compatible.
//
// Defaults differ from chrony's compiled-in paths on purpose: Strata must not collide with a
// chronyd on the same host, and must run without root when started with the built-in
// configuration. An empty path means "none".

#include <string>

namespace strata::config {

struct DeploymentConfig {
  std::string pidfile;     // `pidfile`; empty = no pid file
  std::string user;        // `user` to switch to after start; empty = keep the starting user
  int sched_priority = 0;  // `sched_priority`: SCHED_FIFO priority 1..100; 0 = off
  bool lock_all = false;   // `lock_all`: mlockall()
  std::string dumpdir;     // `dumpdir`: measurement histories; empty = not saved

  friend bool operator==(const DeploymentConfig&, const DeploymentConfig&) = default;
};

}  // namespace strata::config
