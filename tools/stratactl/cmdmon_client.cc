#include "tools/stratactl/cmdmon_client.h"

#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/net_address.h"
#include "proto/cmdmon/reply_codec.h"
#include "proto/cmdmon/request_codec.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

namespace {

std::string groupName(gid_t gid) {
  if (const group* g = getgrgid(gid)) return g->gr_name;
  return std::to_string(gid);
}

uint32_t randomSequence() {
  uint32_t v = 0;
  if (getrandom(&v, sizeof v, 0) != sizeof v) {
    v = static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return v;
}

}  // namespace

common::Result<void> CmdmonClient::open() {
  skipped_.clear();
  for (const std::string& t : options_.targets) {
    common::Result<void> r = !t.empty() && t[0] == '/' ? openUnix(t) : openUdp(t);
    if (r) return {};
    // Kept: the first failure (the unix socket, by default) is the most telling.
    skipped_ += (skipped_.empty() ? "" : "; ") + r.error().message;
  }
  return common::makeError(skipped_.empty() ? "no daemon address given" : skipped_);
}

common::Result<void> CmdmonClient::openUnix(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return common::makeError("socket path too long: " + path);
  std::memcpy(addr.sun_path, path.data(), path.size());
  common::UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return common::makeError(std::string("socket: ") + std::strerror(errno));
  // Autobind: the kernel gives us a unique abstract address the daemon can answer to.
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&self), sizeof(sa_family_t)) != 0) {
    return common::makeError(std::string("cannot bind a client socket: ") + std::strerror(errno));
  }
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int e = errno;
    struct stat st;
    switch (e) {
      case ENOENT:
        return common::makeError("cannot reach stratad: no socket at " + path +
                                 " (is stratad running? is bindcmdaddress different?)");
      case ECONNREFUSED:
        return common::makeError("cannot reach stratad: nothing is listening on " + path +
                                 " (stratad is not running)");
      case EACCES:
      case EPERM:
        if (stat(path.c_str(), &st) == 0) {
          return common::makeError("permission denied on " + path +
                                   ": run as root or as a member of group " + groupName(st.st_gid));
        }
        return common::makeError("permission denied on " + path +
                                 " (its directory is not accessible: run as root or as a member "
                                 "of the daemon's group)");
      default:
        return common::makeError("cannot connect to " + path + ": " + std::strerror(e));
    }
  }
  fd_ = std::move(fd);
  target_ = path;
  unix_ = true;
  return {};
}

common::Result<void> CmdmonClient::openUdp(const std::string& host) {
  std::optional<common::IpAddress> ip = common::IpAddress::parse(host);
  if (!ip) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_family = options_.family == 4 ? AF_INET : options_.family == 6 ? AF_INET6 : AF_UNSPEC;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) {
      return common::makeError("cannot resolve " + host);
    }
    auto a = common::SocketAddress::fromSockaddr(res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (!a) return common::makeError("cannot resolve " + host);
    ip = a->ip;
  }
  if ((options_.family == 4 && !ip->isV4()) || (options_.family == 6 && !ip->isV6())) {
    return common::makeError("skipping " + host + " (address family)");
  }
  const common::SocketAddress to{*ip, options_.port};
  sockaddr_storage ss;
  const socklen_t len = to.toSockaddr(ss);
  common::UniqueFd fd(socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return common::makeError(std::string("socket: ") + std::strerror(errno));
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return common::makeError("cannot use " + to.toString() + ": " + std::strerror(errno));
  }
  fd_ = std::move(fd);
  target_ = to.toString();
  unix_ = false;
  return {};
}

common::Result<cm::Reply> CmdmonClient::request(uint16_t command, cm::RequestBody body) {
  if (!fd_) {
    if (auto r = open(); !r) return r.error();
  }
  cm::Request req;
  req.header.command = command;
  req.body = std::move(body);
  std::string last_error = "no reply";
  for (int attempt = 0; attempt <= options_.max_retries; ++attempt) {
    req.header.attempt = static_cast<uint16_t>(attempt);
    req.header.sequence = randomSequence();
    const std::vector<uint8_t> bytes = cm::encodeRequest(req);
    if (send(fd_.get(), bytes.data(), bytes.size(), 0) < 0) {
      const int e = errno;
      if (e == ECONNREFUSED || e == ENOENT) {
        return common::makeError("cannot reach stratad at " + target_ + ": " + std::strerror(e) +
                                 " (is it running?)");
      }
      last_error = std::string("send failed: ") + std::strerror(e);
      continue;
    }
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(options_.initial_timeout_ms << attempt);
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_.get(), POLLIN, 0};
      const int n = poll(&p, 1, static_cast<int>(left.count()));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      uint8_t buf[2048];
      const ssize_t got = recv(fd_.get(), buf, sizeof buf, 0);
      if (got < 0) {
        if (errno == ECONNREFUSED) {
          return common::makeError("cannot reach stratad at " + target_ +
                                   ": connection refused (is it running? is cmdport set?)" +
                                   (skipped_.empty() ? "" : "; before that: " + skipped_));
        }
        break;
      }
      const cm::ReplyDecodeResult d = cm::decodeReply(std::span<const uint8_t>(buf, got));
      if (d.error == cm::ReplyError::kTooShort || d.error == cm::ReplyError::kNotReply) continue;
      if (d.reply.header.command != command || d.reply.header.sequence != req.header.sequence) {
        continue;  // a late reply to an earlier attempt, or not ours
      }
      if (d.error == cm::ReplyError::kBadVersion &&
          d.reply.header.status != static_cast<uint16_t>(cm::Status::kBadPacketVersion)) {
        return common::makeError("the daemon speaks protocol version " +
                                 std::to_string(d.reply.header.version) + ", not 6");
      }
      if (d.error == cm::ReplyError::kUnknownReply || d.error == cm::ReplyError::kTruncatedBody) {
        return common::makeError("bad reply from the daemon (reply code " +
                                 std::to_string(d.reply.header.reply) + ")");
      }
      return d.reply;
    }
    last_error = "no reply";
  }
  return common::makeError("cannot talk to the daemon at " + target_ + " (" + last_error + ")" +
                           (skipped_.empty() ? "" : "; before that: " + skipped_));
}

}  // namespace strata::tools
