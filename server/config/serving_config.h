#pragma once
// Serving settings: where and how stratad answers NTP clients (chrony's "NTP server" section
// plus Strata's own serving directives), and the local reference (`local`). Plain values;
// thread-compatible. Durations are common::Nanos, parsed from seconds.
//
// Strata's own directives (not in chrony; chronyd rejects them):
//
// | directive               | meaning                                                 | default   |
// |-------------------------|---------------------------------------------------------|-----------|
// | workers N               | serving threads; 0 = one per online CPU (0..1024)       | 0         |
// | workerbatch N           | datagrams per recvmmsg/sendmmsg call (1..1024)          | 32        |
// | workercpus LIST         | pin workers to these CPUs, e.g. `0-3,6` (ids 0..4095)   | no pinning|
// | txstampcal on|off       | calibrated basic-mode transmit timestamps               | on        |
// | txstampshed MS|off      | overload: no precise TX stamps once a request waited MS | 3         |
// | metricsport PORT        | metrics endpoint port; 0 = off (0..65535)               | 0         |
// | bindmetricsaddress ADDR | address of the metrics endpoint (IPv4 or IPv6)          | 127.0.0.1 |

#include <optional>
#include <string>
#include <vector>

#include "common/net_address.h"
#include "common/ntp_time.h"

namespace strata::config {

// `local [stratum N] [distance D] [orphan] [activate D] [waitsynced T] [waitunsynced T]`:
// serve the local clock as a reference when no real source is usable.
struct LocalReferenceConfig {
  bool enabled = false;  // a `local` directive is present
  int stratum = 10;      // 1..15
  // Root distance that activates the local reference once synchronised.
  common::Nanos distance = common::Nanos(1'000'000'000);
  bool orphan = false;  // ntpd-compatible orphan mode
  // Root distance the clock must once have dropped below before the local reference may
  // activate; 0 = no such condition.
  common::Nanos activate = common::Nanos(0);
  // Time to wait after the last synchronisation before activating.
  common::Nanos wait_synced = common::Nanos(0);
  // Time to wait after start when never synchronised. Unset: chrony's rule (300 s with
  // orphan, else 0).
  std::optional<common::Nanos> wait_unsynced;

  friend bool operator==(const LocalReferenceConfig&, const LocalReferenceConfig&) = default;
};

struct ServingConfig {
  int port = 123;  // `port`; 0 = no NTP server socket (client only)
  // `bindaddress`, repeatable. Empty = the wildcard addresses of both families. Unlike chrony
  // (one address per family, last wins), Strata binds every listed address; duplicates are
  // dropped, order is kept.
  std::vector<common::IpAddress> bind_addresses;
  std::string bind_device;  // `binddevice`; empty = none
  int dscp = 0;             // `dscp`, 0..63, for transmitted NTP packets
  LocalReferenceConfig local;

  // Strata's own directives (table above).
  int workers = 0;
  int worker_batch = 32;
  std::vector<int> worker_cpus;  // sorted, unique; empty = no pinning
  bool tx_stamp_calibration = true;
  // `txstampshed MS|off`: a worker stops asking the kernel for precise TX timestamps (for
  // interleaved clients) once a request waited longer than this in its socket, until a read
  // empties the socket (server/stamp_shedding.h). Unset (`off`) = never.
  std::optional<common::Nanos> tx_stamp_shed_after = common::Nanos(3'000'000);
  int metrics_port = 0;
  common::IpAddress metrics_bind_address = common::IpAddress::loopbackV4();

  friend bool operator==(const ServingConfig&, const ServingConfig&) = default;
};

}  // namespace strata::config
