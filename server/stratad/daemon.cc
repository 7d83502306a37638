#include "server/stratad/daemon.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "common/logging.h"
#include "common/seqlock.h"
#include "common/unique_fd.h"
#include "common/version.h"
#include "server/config/embedded_default.h"
#include "server/config/formatter.h"
#include "server/config/parser.h"
#include "server/control/control_server.h"
#include "server/control/metrics_server.h"
#include "server/serving_engine.h"
#include "server/stratad/command_line.h"
#include "server/stratad/config_mapping.h"
#include "server/stratad/hw_timestamping.h"
#include "server/stratad/time_keeping.h"
#include "server/stratad/daemon_backend.h"
#include "server/stratad/pid_file.h"
#include "server/stratad/privileges.h"
#include "server/stratad/sd_notify.h"

namespace strata::stratad {

namespace {

constexpr const char* kDefaultConfigPath = "/etc/strata/strata.conf";

struct LoadedConfig {
  config::Config config;
  std::string source;  // for the log: which file (or "embedded default")
  std::vector<std::string> warnings;
};

common::Result<LoadedConfig> loadConfig(const CommandLine& cl) {
  LoadedConfig loaded;
  const config::RealFileSystem fs;
  common::Result<config::Config> parsed = common::makeError("");
  if (!cl.config_lines.empty()) {
    std::string text;
    for (const std::string& line : cl.config_lines) text += line + "\n";
    loaded.source = "command line";
    parsed = config::parseConfigText(text, "command line", fs, loaded.warnings);
  } else if (cl.config_file) {
    loaded.source = *cl.config_file;
    parsed = config::parseConfigFile(*cl.config_file, loaded.warnings);
  } else if (!cl.embedded_config && access(kDefaultConfigPath, F_OK) == 0) {
    loaded.source = kDefaultConfigPath;
    parsed = config::parseConfigFile(kDefaultConfigPath, loaded.warnings);
  } else {
    loaded.source = "embedded default configuration";
    parsed = config::parseConfigText(config::kEmbeddedDefaultConfig,
                                     config::kEmbeddedDefaultConfigName, fs, loaded.warnings);
  }
  if (!parsed) return parsed.error();
  loaded.config = std::move(*parsed);
  return loaded;
}

// Forks into the background (chronyd's behaviour without -d/-n). The parent exits 0 once the
// child is detached. Must run before any thread starts.
void detach() {
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("stratad: fork");
    std::exit(1);
  }
  if (pid > 0) std::exit(0);
  setsid();
  if (fork() > 0) std::exit(0);
  std::freopen("/dev/null", "r", stdin);
  std::freopen("/dev/null", "w", stdout);
  std::freopen("/dev/null", "w", stderr);
  chdir("/");
}

common::UniqueFd makeSignalFd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started later
  sigdelset(&set, SIGPIPE);
  return common::UniqueFd(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
}

common::UniqueFd makeTimerFd(int milliseconds) {
  common::UniqueFd fd(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  itimerspec spec{};
  spec.it_interval.tv_sec = milliseconds / 1000;
  spec.it_interval.tv_nsec = (milliseconds % 1000) * 1'000'000L;
  spec.it_value = spec.it_interval;
  timerfd_settime(fd.get(), 0, &spec, nullptr);
  return fd;
}

std::unique_ptr<server::control::ControlServer> openControlServer(const config::Config& cfg,
                                                                server::control::ControlBackend& backend) {
  server::control::ControlServerOptions o;
  o.socket_path = cfg.control.socket_path.value_or("/run/strata/stratad.sock");
  if (o.socket_path == "/") o.socket_path.clear();  // chrony's way to disable it
  o.udp_port = static_cast<uint16_t>(cfg.control.port);
  o.udp_addresses = {cfg.control.bind_v4, cfg.control.bind_v6};
  if (!cfg.deployment.user.empty()) {
    // The socket belongs to the group of the user the daemon runs as.
    if (passwd* pw = getpwnam(cfg.deployment.user.c_str())) o.socket_group = pw->pw_gid;
  }
  if (o.socket_path.empty() && o.udp_port == 0) return nullptr;
  auto server = std::make_unique<server::control::ControlServer>(backend, o);
  if (auto r = server->open(); !r) {
    // As chronyd: monitoring is lost, serving goes on.
    spdlog::warn("command socket disabled: {}", r.error().message);
    return nullptr;
  }
  return server;
}

std::unique_ptr<server::control::MetricsServer> openMetricsServer(
    const config::Config& cfg, server::control::ControlBackend& backend,
    server::control::ControlServer* control) {
  if (cfg.serving.metrics_port == 0) return nullptr;
  server::control::MetricsServerOptions o;
  o.bind = common::SocketAddress{cfg.serving.metrics_bind_address,
                                 static_cast<uint16_t>(cfg.serving.metrics_port)};
  std::function<server::control::CommandCounters()> counters;
  if (control) counters = [control] { return control->counters(); };
  auto server = std::make_unique<server::control::MetricsServer>(backend, o, counters);
  if (auto r = server->open(); !r) {
    spdlog::error("metrics endpoint: {}", r.error().message);
    return nullptr;
  }
  spdlog::info("metrics on http://{}/metrics", server->boundAddress().toString());
  return server;
}

}  // namespace

int runStratad(int argc, const char* const* argv) {
  auto parsed_cl = parseCommandLine(argc, argv);
  if (!parsed_cl) {
    std::cerr << "stratad: " << parsed_cl.error().message << "\n";
    return 2;
  }
  const CommandLine& cl = *parsed_cl;
  if (cl.help) {
    std::cout << commandLineHelp();
    return 0;
  }
  if (cl.version) {
    std::cout << "stratad (Strata) " << kVersion << "\n";
    return 0;
  }

  auto loaded = loadConfig(cl);
  if (!loaded) {
    std::cerr << "stratad: " << loaded.error().message << "\n";
    return 1;
  }
  config::Config& cfg = loaded->config;
  if (cl.workers) cfg.serving.workers = *cl.workers;
  if (!cl.user.empty()) cfg.deployment.user = cl.user;
  if (cl.print_config) {
    for (const std::string& w : loaded->warnings) std::cerr << "stratad: warning: " << w << "\n";
    std::cout << config::formatConfig(cfg);
    return 0;
  }

  common::LogOptions log;
  log.ident = "stratad";
  log.debug = cl.debug >= 2;
  if (cl.debug > 0) {
    log.target = common::LogTarget::kStderr;
  } else if (!cl.log_file.empty()) {
    log.target = common::LogTarget::kFile;
    log.file_path = cl.log_file;
  } else {
    log.target = common::LogTarget::kSyslog;
  }
  if (cl.debug == 0 && !cl.foreground) detach();
  if (auto r = common::setupLogging(log); !r) {
    std::cerr << "stratad: " << r.error().message << "\n";
    return 1;
  }
  spdlog::info("stratad {} starting ({}){}", kVersion, loaded->source,
               cl.no_clock_control ? ", no clock control" : "");
  for (const std::string& w : loaded->warnings) spdlog::warn("{}", w);

  // Signals are blocked before any thread exists, so only the signalfd sees them.
  common::UniqueFd signals = makeSignalFd();

  std::optional<PidFile> pid_file;
  if (!cfg.deployment.pidfile.empty()) {
    auto p = PidFile::create(cfg.deployment.pidfile);
    if (!p) {
      spdlog::error("{}", p.error().message);
      return 1;
    }
    pid_file.emplace(std::move(*p));
  }

  const int8_t precision = common::measureClockPrecisionLog2();
  common::SeqLock<proto::ServerState> state;
  auto time_keeping = TimeKeeping::create(cfg, cl.no_clock_control, precision, state);
  if (!time_keeping) {
    spdlog::error("{}", time_keeping.error().message);
    return 1;
  }
  TimeKeeping& tk = **time_keeping;

  const server::AccessTable access = accessTable(cfg.access);
  auto hardware = HardwareTimestamping::setUp(cfg.hwtimestamps);
  if (!hardware) {
    spdlog::error("{}", hardware.error().message);
    return 1;
  }
  server::ServingEngine engine(state, access);
  if (cfg.serving.port != 0) {
    server::ServingOptions serving = servingOptions(cfg, cl);
    if ((*hardware)->enabled()) serving.hardware = &(*hardware)->table();
    if (auto r = engine.open(serving); !r) {
      spdlog::error("{}", r.error().message);
      return 1;
    }
  }

  // Monitoring runs on the time-keeping thread, where the reports are made.
  DaemonBackend backend(tk.keeper(), engine);
  if (tk.ntpSources() != nullptr) tk.ntpSources()->attach(backend);
  std::unique_ptr<server::control::ControlServer> control = openControlServer(cfg, backend);
  if (control) {
    for (int fd : control->fds()) {
      (void)tk.loop().addFd(fd, [c = control.get(), fd] { c->onReadable(fd); });
    }
  }
  std::unique_ptr<server::control::MetricsServer> metrics = openMetricsServer(cfg, backend, control.get());
  if (!metrics && cfg.serving.metrics_port != 0) return 1;
  if (metrics) {
    for (int fd : metrics->fds()) {
      (void)tk.loop().addFd(fd, [m = metrics.get(), fd] { m->onReadable(fd); });
    }
  }

  if (!cfg.deployment.user.empty()) {
    if (auto r = dropPrivileges(cfg.deployment.user, /*keep_sys_time=*/!cl.no_clock_control); !r) {
      spdlog::error("{}", r.error().message);
      return 1;
    }
    spdlog::info("running as user {}", cfg.deployment.user);
  }

  engine.start();
  tk.start();
  for (const common::SocketAddress& a : engine.boundAddresses()) {
    spdlog::info("serving NTP on {} with {} worker(s)", a.toString(), engine.workersPerAddress());
  }
  if (cfg.access.rules.empty()) spdlog::warn("no allow directive: no NTP client will be served");

  // systemd Type=notify: ready once the serving sockets are bound and the workers run.
  notifyServiceManager("READY=1\nSTATUS=serving NTP on " +
                       std::to_string(engine.boundAddresses().size()) + " address(es) with " +
                       std::to_string(engine.workersPerAddress()) + " worker(s) each");

  // The main thread handles signals and reads the NICs' PHCs for the serving path.
  const int tick_ms = (*hardware)->enabled() ? std::min(1000, (*hardware)->pollIntervalMs()) : 1000;
  common::UniqueFd timer = makeTimerFd(tick_ms);
  common::UniqueFd epoll(epoll_create1(EPOLL_CLOEXEC));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = signals.get();
  epoll_ctl(epoll.get(), EPOLL_CTL_ADD, signals.get(), &ev);
  ev.data.fd = timer.get();
  epoll_ctl(epoll.get(), EPOLL_CTL_ADD, timer.get(), &ev);

  bool running = true;
  while (running) {
    epoll_event events[4];
    int n = epoll_wait(epoll.get(), events, 4, -1);
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == signals.get()) {
        signalfd_siginfo info;
        while (read(signals.get(), &info, sizeof info) == sizeof info) {
          if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) {
            spdlog::info("signal {}: shutting down", info.ssi_signo);
            running = false;
          } else if (info.ssi_signo == SIGHUP) {
            spdlog::info("SIGHUP: reopening statistics logs");
            tk.reopenLogs();
          }
        }
      } else if (events[i].data.fd == timer.get()) {
        uint64_t expirations;
        while (read(timer.get(), &expirations, sizeof expirations) > 0) {
        }
        (*hardware)->poll();
      }
    }
  }
  notifyServiceManager("STOPPING=1\nSTATUS=shutting down");
  tk.stop();
  engine.stop();
  server::ServingTotals t = engine.totals();
  spdlog::info("stopped: {} requests, {} replies, {} dropped", t.received, t.replied,
               t.droppedTotal());
  return 0;
}

}  // namespace strata::stratad
