#pragma once
// MetricsServer: the Prometheus / OpenMetrics endpoint. HTTP/1.1 over TCP, GET (or HEAD)
// /metrics only; one request per connection (the reply closes it).
//
// Bounds: at most `max_connections` open connections (more are answered 503 and closed at
// once), a request head of at most `max_request_bytes` (else 431), `request_timeout` from
// accept to the end of the reply (else the connection is closed). Other methods get 405,
// other paths 404, malformed requests 400. The body is rendered from the backend only for a
// valid request, so the cost of a scrape is one snapshot of the backend.
//
// Hosting: like ControlServer (fds() is one epoll descriptor; onReadable(fd) does a bounded
// amount of work: at most `max_connections` accepts and one read or write per connection).
// Thread-safety: open()/onReadable() from one thread.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "server/control/command_processor.h"
#include "server/control/control_backend.h"
#include "server/control/event_thread.h"

namespace strata::server::control {

struct MetricsServerOptions {
  common::SocketAddress bind{common::IpAddress::loopbackV4(), 0};  // port 0: any free port
  size_t max_connections = 4;
  size_t max_request_bytes = 8192;
  common::Nanos request_timeout{5'000'000'000};
};

class MetricsServer final : public Pollable {
 public:
  // `command_counters`, if set, adds the control server's counters to the metrics.
  MetricsServer(ControlBackend& backend, MetricsServerOptions options,
                std::function<CommandCounters()> command_counters = {});
  ~MetricsServer() override;
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  common::Result<void> open();
  std::vector<int> fds() const override;
  void onReadable(int fd) override;

  // The address actually bound (its port resolved if 0 was asked).
  const common::SocketAddress& boundAddress() const { return bound_; }
  size_t openConnections() const { return connections_.size(); }

 private:
  struct Connection {
    common::UniqueFd fd;
    common::Nanos deadline{0};
    std::string in;
    std::string out;
    size_t sent = 0;
    bool responding = false;
  };
  void acceptAll();
  void onConnection(int fd, uint32_t events);
  void respond(Connection& c, const std::string& status, const std::string& content_type,
               const std::string& body, bool head_only);
  void handleRequest(Connection& c);
  void flush(Connection& c);
  void close(int fd);
  void expire();
  void armTimer();

  ControlBackend& backend_;
  MetricsServerOptions options_;
  std::function<CommandCounters()> command_counters_;
  common::UniqueFd epoll_;
  common::UniqueFd listener_;
  common::UniqueFd timer_;
  common::SocketAddress bound_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace strata::server::control
