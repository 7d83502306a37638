#include "server/control/metrics_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/clock.h"
#include "server/control/http_request.h"
#include "server/control/metrics_render.h"

namespace strata::server::control {

namespace {
std::string errnoText() { return std::strerror(errno); }
}  // namespace

MetricsServer::MetricsServer(ControlBackend& backend, MetricsServerOptions options,
                             std::function<CommandCounters()> command_counters)
    : backend_(backend), options_(options), command_counters_(std::move(command_counters)) {}

MetricsServer::~MetricsServer() = default;

common::Result<void> MetricsServer::open() {
  epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
  timer_.reset(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!epoll_ || !timer_) return common::makeError("metrics: " + errnoText());
  sockaddr_storage ss;
  const socklen_t len = options_.bind.toSockaddr(ss);
  listener_.reset(socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!listener_) return common::makeError("metrics: " + errnoText());
  const int one = 1;
  setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (ss.ss_family == AF_INET6)
    setsockopt(listener_.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind(listener_.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return common::makeError("cannot bind metrics endpoint " + options_.bind.toString() + ": " +
                             errnoText());
  }
  if (listen(listener_.get(), 16) != 0) return common::makeError("metrics: listen: " + errnoText());
  sockaddr_storage actual;
  socklen_t actual_len = sizeof actual;
  getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&actual), &actual_len);
  bound_ = common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&actual), actual_len)
               .value_or(options_.bind);
  for (int fd : {listener_.get(), timer_.get()}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) {
      return common::makeError("metrics: epoll_ctl: " + errnoText());
    }
  }
  spdlog::info("metrics on http://{}/metrics", bound_.toString());
  return {};
}

std::vector<int> MetricsServer::fds() const {
  if (!epoll_) return {};
  return {epoll_.get()};
}

void MetricsServer::onReadable(int) {
  epoll_event events[16];
  const int n = epoll_wait(epoll_.get(), events, 16, 0);
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == listener_.get()) {
      acceptAll();
    } else if (fd == timer_.get()) {
      uint64_t expirations;
      while (read(timer_.get(), &expirations, sizeof expirations) > 0) {
      }
      expire();
    } else {
      onConnection(fd, events[i].events);
    }
  }
}

void MetricsServer::acceptAll() {
  for (size_t i = 0; i < options_.max_connections + 1; ++i) {
    common::UniqueFd fd(accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) break;
    if (connections_.size() >= options_.max_connections) {
      // Over the limit: a short answer, best effort, and close.
      static const char kBusy[] =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      [[maybe_unused]] ssize_t w = send(fd.get(), kBusy, sizeof kBusy - 1, MSG_NOSIGNAL);
      continue;
    }
    auto c = std::make_unique<Connection>();
    c->deadline = common::monotonicNow() + options_.request_timeout;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd.get();
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd.get(), &ev) != 0) continue;
    c->fd = std::move(fd);
    connections_.push_back(std::move(c));
  }
  armTimer();
}

void MetricsServer::onConnection(int fd, uint32_t events) {
  auto it = std::find_if(connections_.begin(), connections_.end(),
                         [fd](const auto& c) { return c->fd.get() == fd; });
  if (it == connections_.end()) return;
  Connection& c = **it;
  if (c.responding) {
    flush(c);
    return;
  }
  char buf[4096];
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  if (n > 0) {
    c.in.append(buf, static_cast<size_t>(n));
    handleRequest(c);  // may close (and free) the connection
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR) && !(events & (EPOLLERR | EPOLLHUP))) return;
  close(fd);  // end of stream or error before a complete request
}

void MetricsServer::handleRequest(Connection& c) {
  const HttpRequest r = parseHttpRequest(c.in, options_.max_request_bytes);
  switch (r.status) {
    case HttpRequest::Status::kIncomplete:
      return;
    case HttpRequest::Status::kTooLarge:
      return respond(c, "431 Request Header Fields Too Large", "text/plain; charset=utf-8",
                     "request too large\n", false);
    case HttpRequest::Status::kBad:
      return respond(c, "400 Bad Request", "text/plain; charset=utf-8", "bad request\n", false);
    case HttpRequest::Status::kComplete:
      break;
  }
  const bool head = r.method == "HEAD";
  if (r.method != "GET" && !head) {
    return respond(c, "405 Method Not Allowed", "text/plain; charset=utf-8", "only GET /metrics\n",
                   false);
  }
  if (r.path != "/metrics") {
    return respond(c, "404 Not Found", "text/plain; charset=utf-8", "try /metrics\n", head);
  }
  MetricsSnapshot snapshot;
  snapshot.tracking = backend_.tracking();
  snapshot.sources = backend_.sources();
  snapshot.serving = backend_.serving();
  snapshot.activity = backend_.activity();
  if (command_counters_) snapshot.commands = command_counters_();
  const MetricsFormat format = negotiateMetricsFormat(r.accept);
  respond(c, "200 OK", metricsContentType(format), renderMetrics(snapshot, format), head);
}

void MetricsServer::respond(Connection& c, const std::string& status,
                            const std::string& content_type, const std::string& body,
                            bool head_only) {
  c.out = "HTTP/1.1 " + status + "\r\nContent-Type: " + content_type +
          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  if (status.rfind("405", 0) == 0) c.out += "Allow: GET, HEAD\r\n";
  c.out += "\r\n";
  if (!head_only) c.out += body;
  c.responding = true;
  c.in.clear();
  epoll_event ev{};
  ev.events = EPOLLOUT;
  ev.data.fd = c.fd.get();
  epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, c.fd.get(), &ev);
  flush(c);
}

void MetricsServer::flush(Connection& c) {
  while (c.sent < c.out.size()) {
    const ssize_t n =
        send(c.fd.get(), c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;  // EPOLLOUT brings us back
      break;
    }
    c.sent += static_cast<size_t>(n);
  }
  shutdown(c.fd.get(), SHUT_WR);
  // Discard what the client sent beyond its request (bounded), so that closing does not reset
  // the connection and destroy the reply before the client has read it.
  char sink[4096];
  for (int i = 0; i < 16 && recv(c.fd.get(), sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
  }
  close(c.fd.get());
}

void MetricsServer::close(int fd) {
  epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
  connections_.erase(std::remove_if(connections_.begin(), connections_.end(),
                                    [fd](const auto& c) { return c->fd.get() == fd; }),
                     connections_.end());
  armTimer();
}

void MetricsServer::expire() {
  const common::Nanos now = common::monotonicNow();
  std::vector<int> expired;
  for (const auto& c : connections_) {
    if (c->deadline <= now) expired.push_back(c->fd.get());
  }
  for (int fd : expired) close(fd);
  armTimer();
}

void MetricsServer::armTimer() {
  itimerspec spec{};
  if (!connections_.empty()) {
    common::Nanos earliest = connections_.front()->deadline;
    for (const auto& c : connections_) earliest = std::min(earliest, c->deadline);
    const common::Nanos wait = std::max(earliest - common::monotonicNow(), common::Nanos(1000));
    spec.it_value.tv_sec = wait.count() / common::kNanosPerSecond;
    spec.it_value.tv_nsec = wait.count() % common::kNanosPerSecond;
  }
  timerfd_settime(timer_.get(), 0, &spec, nullptr);
}

}  // namespace strata::server::control
