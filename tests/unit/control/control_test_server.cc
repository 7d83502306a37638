// control_test_server: the control server (and, with --metrics-port, the metrics endpoint)
// over FakeBackend's fixed data, for the integration tests that run the real chronyc and
// stratactl against it. Prints "ready" on stdout once the sockets are open, one line per
// makestep the backend receives, and the command counters on exit (SIGTERM/SIGINT).
//
// Usage: control_test_server --socket PATH [--udp-port N] [--scenario full|empty]
//                            [--rate N] [--burst N] [--group GID] [--metrics-port N]
// With --metrics-port (0 = any free port) it also prints "metrics PORT" before "ready".
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "server/control/control_server.h"
#include "server/control/metrics_server.h"
#include "tests/unit/control/fake_backend.h"

using strata::server::control::CommandResult;
using strata::server::control::ControlServer;
using strata::server::control::ControlServerOptions;
using strata::server::control::EventThread;
using strata::server::control::MetricsServer;
using strata::server::control::MetricsServerOptions;
using strata::server::control::testing::FakeBackend;

namespace {

// Reports makestep calls on stdout so that the tests can see what reached the backend.
class ReportingBackend : public FakeBackend {
 public:
  using FakeBackend::FakeBackend;
  CommandResult makestep() override {
    std::printf("makestep\n");
    std::fflush(stdout);
    return FakeBackend::makestep();
  }
  CommandResult setMakestep(strata::common::Nanos threshold, int limit) override {
    std::printf("makestep %.6f %d\n", strata::common::toSeconds(threshold), limit);
    std::fflush(stdout);
    return FakeBackend::setMakestep(threshold, limit);
  }
};

int usage() {
  std::cerr << "usage: control_test_server --socket PATH [--udp-port N] [--scenario full|empty]"
               " [--rate N] [--burst N] [--group GID] [--metrics-port N]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ControlServerOptions options;
  options.socket_path.clear();
  options.udp_port = 0;
  FakeBackend::Scenario scenario = FakeBackend::Scenario::kFull;
  int metrics_port = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    const std::string v = argv[++i];
    if (a == "--socket") {
      options.socket_path = v;
    } else if (a == "--udp-port") {
      options.udp_port = static_cast<uint16_t>(std::atoi(v.c_str()));
    } else if (a == "--scenario") {
      scenario = v == "empty" ? FakeBackend::Scenario::kEmpty : FakeBackend::Scenario::kFull;
    } else if (a == "--rate") {
      options.processor.max_requests_per_second = std::atof(v.c_str());
    } else if (a == "--burst") {
      options.processor.burst = static_cast<uint32_t>(std::atoi(v.c_str()));
    } else if (a == "--metrics-port") {
      metrics_port = std::atoi(v.c_str());
    } else if (a == "--group") {
      options.socket_group = static_cast<gid_t>(std::atoi(v.c_str()));
    } else {
      return usage();
    }
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  ReportingBackend backend(scenario);
  ControlServer server(backend, options);
  if (auto r = server.open(); !r) {
    std::cerr << "control_test_server: " << r.error().message << "\n";
    return 1;
  }
  std::unique_ptr<MetricsServer> metrics;
  std::vector<strata::server::control::Pollable*> pollables = {&server};
  if (metrics_port >= 0) {
    MetricsServerOptions mo;
    mo.bind.port = static_cast<uint16_t>(metrics_port);
    metrics = std::make_unique<MetricsServer>(backend, mo, [&server] { return server.counters(); });
    if (auto r = metrics->open(); !r) {
      std::cerr << "control_test_server: " << r.error().message << "\n";
      return 1;
    }
    std::printf("metrics %u\n", metrics->boundAddress().port);
    pollables.push_back(metrics.get());
  }
  EventThread thread;
  if (auto r = thread.start(pollables); !r) {
    std::cerr << "control_test_server: " << r.error().message << "\n";
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  thread.stop();
  const auto c = server.counters();
  std::printf(
      "received %llu replied %llu dropped %llu\n", static_cast<unsigned long long>(c.received),
      static_cast<unsigned long long>(c.replied), static_cast<unsigned long long>(c.dropped));
  return 0;
}
