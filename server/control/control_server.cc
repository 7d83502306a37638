#include "server/control/control_server.h"

#include <grp.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "common/clock.h"
#include "proto/cmdmon/protocol.h"

namespace strata::server::control {

namespace {

std::string errnoText() { return std::strerror(errno); }

std::string parentDirectory(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// mkdir -p for the parents, `mode` and `group` for the last component (only if created here).
common::Result<void> ensureDirectory(const std::string& dir, mode_t mode,
                                     std::optional<gid_t> group) {
  struct stat st;
  if (stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) return common::makeError(dir + " exists and is not a directory");
    if (st.st_mode & S_IWOTH) {
      spdlog::warn("command socket directory {} is writable by everyone", dir);
    }
    return {};
  }
  const std::string parent = parentDirectory(dir);
  if (parent != dir) {
    if (stat(parent.c_str(), &st) != 0) {
      if (auto r = ensureDirectory(parent, 0755, std::nullopt); !r) return r;
    }
  }
  if (mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    return common::makeError("cannot create directory " + dir + ": " + errnoText());
  }
  if (chmod(dir.c_str(), mode) != 0) {
    return common::makeError("cannot set the mode of " + dir + ": " + errnoText());
  }
  if (group && chown(dir.c_str(), static_cast<uid_t>(-1), *group) != 0) {
    return common::makeError("cannot set the group of " + dir + ": " + errnoText());
  }
  return {};
}

bool fillUnixAddress(const std::string& path, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.data(), path.size());
  return true;
}

// True if a process is bound to the unix datagram socket at `path`.
bool someoneListens(const sockaddr_un& addr) {
  common::UniqueFd probe(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe) return false;
  return connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

}  // namespace

ControlServer::ControlServer(ControlBackend& backend, ControlServerOptions options)
    : options_(std::move(options)), processor_(backend, options_.processor) {}

ControlServer::~ControlServer() {
  sockets_.clear();
  if (created_socket_file_) {
    struct stat st;
    // Remove the file only if it is still ours (not replaced by another daemon since).
    if (lstat(options_.socket_path.c_str(), &st) == 0 && st.st_ino == socket_inode_) {
      unlink(options_.socket_path.c_str());
    }
  }
}

common::Result<gid_t> ControlServer::lookupGroup(const std::string& name) {
  std::vector<char> buf(16384);
  group g;
  group* result = nullptr;
  const int rc = getgrnam_r(name.c_str(), &g, buf.data(), buf.size(), &result);
  if (rc != 0 || result == nullptr) return common::makeError("unknown group " + name);
  return result->gr_gid;
}

common::Result<void> ControlServer::open() {
  epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
  timer_.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!epoll_ || !timer_) return common::makeError("control server: " + errnoText());
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = timer_.get();
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, timer_.get(), &ev) != 0) {
    return common::makeError("control server: epoll_ctl: " + errnoText());
  }
  if (!options_.socket_path.empty()) {
    if (auto r = openUnix(); !r) return r;
  }
  if (options_.udp_port != 0) {
    for (const common::IpAddress& a : options_.udp_addresses) {
      if (auto r = openUdp(a); !r) return r;
    }
  }
  for (const Socket& s : sockets_) watch(s.fd.get(), true);
  return {};
}

common::Result<void> ControlServer::openUnix() {
  const std::string& path = options_.socket_path;
  sockaddr_un addr;
  if (!fillUnixAddress(path, addr))
    return common::makeError("command socket path too long: " + path);
  if (auto r =
          ensureDirectory(parentDirectory(path), options_.directory_mode, options_.socket_group);
      !r) {
    return r;
  }
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return common::makeError(path + " exists and is not a socket");
    if (someoneListens(addr)) {
      return common::makeError("another daemon is answering on " + path);
    }
    unlink(path.c_str());
  }
  common::UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return common::makeError("command socket: " + errnoText());
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    return common::makeError("cannot bind command socket " + path + ": " + errnoText());
  }
  created_socket_file_ = true;
  if (lstat(path.c_str(), &st) == 0) socket_inode_ = st.st_ino;
  if (chmod(path.c_str(), options_.socket_mode) != 0) {
    return common::makeError("cannot set the mode of " + path + ": " + errnoText());
  }
  if (options_.socket_group &&
      chown(path.c_str(), static_cast<uid_t>(-1), *options_.socket_group) != 0) {
    return common::makeError("cannot set the group of " + path + ": " + errnoText());
  }
  sockets_.push_back({std::move(fd), Transport::kUnix});
  spdlog::info("command socket {}", path);
  return {};
}

common::Result<void> ControlServer::openUdp(const common::IpAddress& address) {
  const common::SocketAddress local{address, options_.udp_port};
  sockaddr_storage ss;
  const socklen_t len = local.toSockaddr(ss);
  common::UniqueFd fd(socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return common::makeError("command port: " + errnoText());
  const int one = 1;
  if (ss.ss_family == AF_INET6) setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    if (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT) {
      spdlog::warn("command port: {} not available here, skipped", local.toString());
      return {};
    }
    return common::makeError("cannot bind command port " + local.toString() + ": " + errnoText());
  }
  udp_bound_.push_back(local);
  sockets_.push_back({std::move(fd), Transport::kUdp});
  spdlog::info("command port {} (monitoring only)", local.toString());
  return {};
}

std::vector<int> ControlServer::fds() const {
  if (!epoll_) return {};
  return {epoll_.get()};
}

void ControlServer::watch(int fd, bool enabled) {
  epoll_event ev{};
  ev.events = enabled ? static_cast<uint32_t>(EPOLLIN) : 0u;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) {
    epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
  }
}

void ControlServer::onReadable(int) {
  epoll_event events[8];
  const int n = epoll_wait(epoll_.get(), events, 8, 0);
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == timer_.get()) {
      uint64_t expirations;
      while (read(timer_.get(), &expirations, sizeof expirations) > 0) {
      }
      resume();
      continue;
    }
    for (Socket& s : sockets_) {
      if (s.fd.get() == fd && !paused_[static_cast<int>(s.transport)]) drain(s);
    }
  }
}

void ControlServer::countKernelDrops(Socket& socket) {
  // The socket's own drop counter (full receive buffer): accurate even while nothing new is
  // queued behind the dropped datagrams.
  uint32_t info[SK_MEMINFO_VARS] = {};
  socklen_t len = sizeof info;
  if (getsockopt(socket.fd.get(), SOL_SOCKET, SO_MEMINFO, info, &len) != 0 ||
      len < sizeof(uint32_t) * (SK_MEMINFO_DROPS + 1)) {
    return;
  }
  const uint32_t total = info[SK_MEMINFO_DROPS];
  if (total != socket.kernel_drops) processor_.countQueueOverflow(total - socket.kernel_drops);
  socket.kernel_drops = total;
}

void ControlServer::drain(Socket& socket) {
  uint8_t buf[proto::cmdmon::kMaxRequestSize + 1];
  for (uint32_t i = 0; i < options_.max_per_wakeup; ++i) {
    sockaddr_storage from;
    socklen_t from_len = sizeof from;
    const ssize_t n = recvfrom(socket.fd.get(), buf, sizeof buf, MSG_DONTWAIT,
                               reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) break;  // EAGAIN: drained (other errors: try again on the next wake-up)
    if (socket.transport == Transport::kUdp) {
      const auto peer =
          common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&from), from_len);
      if (!peer || !peer->ip.isLoopback()) {
        processor_.countReceivedAndDropped(CommandDrop::kNotLoopback);
        continue;
      }
    } else if (from_len <= offsetof(sockaddr_un, sun_path)) {
      // An unbound client: there is nowhere to send the reply.
      processor_.countReceivedAndDropped(CommandDrop::kNoReturnAddress);
      continue;
    }
    const common::Nanos now = common::monotonicNow();
    const std::vector<uint8_t> reply = processor_.process(
        std::span<const uint8_t>(buf, static_cast<size_t>(n)), socket.transport, now);
    if (!reply.empty() && sendto(socket.fd.get(), reply.data(), reply.size(), MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), from_len) < 0) {
      processor_.countSendFailure();
    }
    const common::Nanos wait = processor_.pauseFor(socket.transport, now);
    if (wait.count() > 0) {
      pause(socket.transport, wait);
      break;
    }
  }
  countKernelDrops(socket);
}

void ControlServer::pause(Transport transport, common::Nanos for_how_long) {
  paused_[static_cast<int>(transport)] = true;
  for (const Socket& s : sockets_) {
    if (s.transport == transport) watch(s.fd.get(), false);
  }
  itimerspec spec{};
  const int64_t ns = for_how_long.count() < 1000 ? 1000 : for_how_long.count();
  spec.it_value.tv_sec = ns / common::kNanosPerSecond;
  spec.it_value.tv_nsec = ns % common::kNanosPerSecond;
  timerfd_settime(timer_.get(), 0, &spec, nullptr);
}

void ControlServer::resume() {
  const common::Nanos now = common::monotonicNow();
  for (Transport t : {Transport::kUnix, Transport::kUdp}) {
    const int i = static_cast<int>(t);
    if (!paused_[i]) continue;
    const common::Nanos wait = processor_.pauseFor(t, now);
    if (wait.count() > 0) {
      pause(t, wait);
      continue;
    }
    paused_[i] = false;
    for (Socket& s : sockets_) {
      if (s.transport != t) continue;
      countKernelDrops(s);
      watch(s.fd.get(), true);
    }
  }
}

}  // namespace strata::server::control
