#pragma once
// The command/monitoring channel used by chronyc and stratactl: `bindcmdaddress`, `cmdport`,
// `cmdallow`/`cmddeny`, `cmdratelimit`. Values; thread-compatible.

#include <optional>
#include <string>

#include "common/net_address.h"
#include "server/config/access_config.h"
#include "server/config/ratelimit_config.h"

namespace strata::config {

struct ControlConfig {
  // `bindcmdaddress /PATH`: unix datagram socket. Unset = the daemon's default path (chosen by
  // stratad, not by the configuration layer); "/" = no unix socket (chrony's convention).
  std::optional<std::string> socket_path;
  // `bindcmdaddress ADDRESS`: one address per family, last wins (chrony).
  common::IpAddress bind_v4 = common::IpAddress::loopbackV4();
  common::IpAddress bind_v6 =
      common::IpAddress::v6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  int port = 323;       // `cmdport`; 0 = no UDP command socket
  AccessConfig access;  // cmdallow/cmddeny; localhost is always allowed (chrony)
  RateLimitConfig ratelimit = kCmdRateLimitDefaults;

  friend bool operator==(const ControlConfig&, const ControlConfig&) = default;
};

}  // namespace strata::config
