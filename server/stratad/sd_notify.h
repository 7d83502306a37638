#pragma once
// The service manager's notification protocol (systemd's sd_notify(3)), without libsystemd:
// one AF_UNIX datagram of newline-separated VARIABLE=value assignments, e.g. "READY=1",
// "STOPPING=1", "STATUS=serving NTP on 2 addresses", sent to the socket named by the
// environment variable NOTIFY_SOCKET. A name starting with '@' is in the abstract namespace
// (the '@' stands for the leading NUL byte); otherwise it must be an absolute path.
//
// notifySocketAddress() is the pure part (it only parses the variable's value); sdNotify()
// is the thin shell that reads the environment, opens a socket, sends one datagram and
// closes it. Thread-safe (no shared state; getenv() must not race with setenv()).

#include <sys/socket.h>
#include <sys/un.h>

#include <string_view>

#include "common/result.h"

namespace strata::stratad {

struct NotifyAddress {
  sockaddr_un address{};
  socklen_t length = 0;  // bytes of `address` to pass to sendto(): exact for abstract names
};

// Parses NOTIFY_SOCKET's value. Errors name the problem: empty, not absolute and not '@',
// too long for sockaddr_un, an embedded NUL, or a kind Debian 12's systemd does not send
// ("vsock:..." of newer versions).
common::Result<NotifyAddress> notifySocketAddress(std::string_view value);

// Sends `state` to the service manager. Returns false when there is none (NOTIFY_SOCKET
// unset: not started by systemd with Type=notify), true when the datagram was sent, and an
// error (with the socket name and errno text) when it could not be sent.
common::Result<bool> sdNotify(std::string_view state);

// sdNotify() for the daemon: a failure is logged as a warning (the service keeps running;
// systemd then reports a start-up timeout or a missing STOPPING=1 on its own).
void notifyServiceManager(std::string_view state);

}  // namespace strata::stratad
