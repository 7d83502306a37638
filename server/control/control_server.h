#pragma once
// ControlServer: chronyc's command protocol on a unix datagram socket (full access) and,
// optionally, UDP on loopback (read-only: see CommandProcessor for what is allowed where).
//
// Sockets:
//  - unix: `socket_path` (default /run/strata/stratad.sock). Its directory is created if
//    missing (mode `directory_mode`, group `socket_group`); a stale socket file is replaced,
//    a path where another daemon still answers is an error. The socket gets `socket_mode` and
//    `socket_group`. Replies go to the address the client bound (chronyc binds
//    <dir>/chronyc.<pid>.sock, so using chronyc needs write access to the directory; stratactl
//    binds an abstract address and needs only access to the socket).
//  - UDP: `udp_port` on each of `udp_addresses` (default 127.0.0.1 and ::1); 0 = no UDP. A
//    loopback address that does not exist on this host (no IPv6) is skipped. Datagrams from
//    other sources are dropped.
//
// Flood bounds: every wake-up reads at most `max_per_wakeup` datagrams. Each transport has
// its own request budget (token bucket); once it is used up, that transport's sockets are
// taken out of the poll set until a token is due (a timer brings them back), so excess
// datagrams wait in (and overflow from) the kernel's socket buffer at no cost to the host
// loop; the socket's overflow count (SO_MEMINFO) is added to the dropped commands (UDP; a
// unix client is blocked or told EAGAIN instead). Each request does one backend call and one reply,
// so work per wake-up is bounded.
//
// Hosting: open() once, then either give fds() to the host's event loop and call
// onReadable(fd) when one is readable, or run it in an EventThread. fds() is a single epoll
// descriptor that stays the same for the server's lifetime.
// Thread-safety: open()/onReadable() from one thread; counters() from any.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "server/control/command_processor.h"
#include "server/control/event_thread.h"

namespace strata::server::control {

struct ControlServerOptions {
  std::string socket_path = "/run/strata/stratad.sock";  // empty: no unix socket
  std::optional<gid_t> socket_group;  // group of the directory (if created) and the socket
  mode_t directory_mode = 0750;
  mode_t socket_mode = 0660;
  uint16_t udp_port = 323;  // 0: no UDP
  std::vector<common::IpAddress> udp_addresses = {common::IpAddress::loopbackV4(),
                                                  *common::IpAddress::parse("::1")};
  ProcessorOptions processor;
  uint32_t max_per_wakeup = 32;
};

class ControlServer final : public Pollable {
 public:
  ControlServer(ControlBackend& backend, ControlServerOptions options);
  ~ControlServer() override;
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Creates the sockets. Errors name the path or address and the reason.
  common::Result<void> open();

  std::vector<int> fds() const override;
  void onReadable(int fd) override;

  CommandCounters counters() const { return processor_.counters(); }
  // The UDP addresses actually bound (port resolved when 0 was not asked: same as options).
  const std::vector<common::SocketAddress>& udpAddresses() const { return udp_bound_; }

  // The gid of a group name, for `socket_group`.
  static common::Result<gid_t> lookupGroup(const std::string& name);

 private:
  struct Socket {
    common::UniqueFd fd;
    Transport transport;
    uint32_t kernel_drops = 0;  // the socket's drop counter when last read
  };
  common::Result<void> openUnix();
  common::Result<void> openUdp(const common::IpAddress& address);
  void drain(Socket& socket);
  void countKernelDrops(Socket& socket);
  void pause(Transport transport, common::Nanos for_how_long);
  void resume();
  void watch(int fd, bool enabled);

  ControlServerOptions options_;
  CommandProcessor processor_;
  common::UniqueFd epoll_;
  common::UniqueFd timer_;
  std::vector<Socket> sockets_;
  std::vector<common::SocketAddress> udp_bound_;
  bool paused_[2] = {false, false};
  bool created_socket_file_ = false;
  ino_t socket_inode_ = 0;
};

}  // namespace strata::server::control
