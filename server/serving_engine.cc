#include "server/serving_engine.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include <spdlog/spdlog.h>

#include "hwts/socket_opt_id.h"
#include "server/serving_socket.h"

namespace strata::server {

unsigned defaultWorkerCount() {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

uint64_t ServingTotals::droppedTotal() const {
  uint64_t t = 0;
  for (uint64_t d : dropped) t += d;
  return t;
}

common::Result<void> ServingEngine::open(const ServingOptions& options) {
  const unsigned n = options.workers ? options.workers : defaultWorkerCount();
  if (options.bind.empty()) return common::makeError("no address to serve on");

  auto counting = hwts::probeOptIdCounting();
  if (!counting) return counting.error();
  spdlog::debug("kernel counts TX timestamp ids for {}", hwts::optIdCountingName(*counting));

  // One socket per worker slot and address, opened in slot order per address.
  std::vector<WorkerSocket> sockets;
  std::vector<unsigned> slot_of;
  bound_.clear();
  per_address_ = n;
  const bool reports_may_carry_data = hwts::txReportsMayCarryData();
  for (const common::SocketAddress& want : options.bind) {
    common::SocketAddress addr = want;
    for (unsigned w = 0; w < n; ++w) {
      ServingSocketOptions so;
      so.bind = addr;
      so.bind_device = options.bind_device;
      so.dscp = options.dscp;
      so.reuseport = true;
      const bool hardware = options.hardware != nullptr && !options.hardware->empty();
      so.timestamping.hardware = hardware;
      so.timestamping.pktinfo = hardware;
      // Software stamps land closer to the departure with data-carrying reports (see
      // SocketTimestampingOptions); hardware stamps do not depend on it.
      so.timestamping.tx_reports_with_data = !hardware && reports_may_carry_data;
      auto fd = openServingSocket(so);
      if (!fd) return fd.error();
      if (w == 0) {
        // Port 0 asks the kernel for a free port; the other workers join that port.
        sockaddr_storage ss;
        socklen_t len = sizeof ss;
        getsockname(fd->get(), reinterpret_cast<sockaddr*>(&ss), &len);
        addr = *common::SocketAddress::fromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
        bound_.push_back(addr);
        if (auto r = attachSteeringProgram(fd->get(), !addr.ip.isV4(), n); !r) {
          spdlog::warn("{}: cannot steer clients to workers by address ({}); per-client state "
                       "is split between workers",
                       addr.toString(), r.error().message);
        }
      }
      sockets.push_back(WorkerSocket{std::move(*fd), !addr.ip.isV4(), addr.ip.isAny()});
      slot_of.push_back(w);
    }
  }

  std::random_device entropy;
  workers_.clear();
  for (unsigned i = 0; i < sockets.size(); ++i) {
    const unsigned w = slot_of[i];
    WorkerOptions wo;
    wo.index = i;
    wo.cpu = options.worker_cpus.empty() ? -1 : options.worker_cpus[w % options.worker_cpus.size()];
    wo.batch_size = options.batch_size;
    wo.tx_calibration = options.tx_calibration;
    wo.shed_stamps_after_ns = options.shed_stamps_after_ns;
    wo.rate_limit = options.rate_limit;
    wo.client_log_bytes = options.client_log_bytes / sockets.size();
    wo.opt_id_counting = *counting;
    wo.seed = (uint64_t{entropy()} << 32) | entropy();
    wo.hardware = options.hardware;
    workers_.push_back(std::make_unique<Worker>(wo, std::move(sockets[i]), state_, access_));
  }
  return {};
}

void ServingEngine::start() {
  for (auto& w : workers_) w->start();
}

void ServingEngine::stop() {
  for (auto& w : workers_) w->requestStop();  // all wake at once, then join
  for (auto& w : workers_) w->stop();
}

size_t ServingEngine::clientLogCapacity() const {
  size_t total = 0;
  for (const auto& w : workers_) total += w->clientLogCapacity();
  return total;
}

ServingTotals ServingEngine::totals() const {
  ServingTotals t;
  for (const auto& w : workers_) {
    const WorkerStats& s = w->stats();
    t.received += s.received.get();
    t.replied += s.replied.get();
    t.interleaved += s.interleaved.get();
    t.kod_sent += s.kod_sent.get();
    t.leaked += s.leaked.get();
    for (size_t i = 0; i < kDropReasonCount; ++i) t.dropped[i] += s.dropped[i].get();
    for (size_t i = 0; i < 3; ++i) {
      t.rx_stamps[i] += s.rx_stamps[i].get();
      t.tx_stamps[i] += s.tx_stamps[i].get();
    }
    t.tx_stamp_requests += s.tx_stamp_requests.get();
    t.tx_stamp_missing += s.tx_stamp_missing.get();
    t.tx_stamp_late += s.tx_stamp_late.get();
    t.client_recycled += s.client_recycled.get();
    t.interleaved_clients += s.interleaved_clients.get();
    t.client_records += s.client_records.get();
    t.timestamps_held += s.timestamps_held.get();
    t.timestamp_span_ns = std::max(t.timestamp_span_ns, s.timestamp_span_ns.get());
  }
  return t;
}

}  // namespace strata::server
