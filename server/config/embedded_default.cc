#include "server/config/embedded_default.h"

namespace strata::config {

const char* const kEmbeddedDefaultConfig =
    R"(# Strata's built-in configuration, used when stratad is started without -f.
# It serves time to programs on this host only, from the local clock, and runs
# without root. Start stratad with -f FILE to use a chrony.conf-style file instead.

# Answer NTP requests on the loopback address only, on an unprivileged port
# (123 needs root).
port 11123
bindaddress 127.0.0.1

# Serve clients on this host only.
allow 127.0.0.0/8

# There are no time sources: serve the local clock as stratum 10.
local stratum 10

# No pid file and no log files are written (pidfile and logdir are unset), and
# the control socket is placed by stratad in a directory that needs no root.
)";

}  // namespace strata::config
