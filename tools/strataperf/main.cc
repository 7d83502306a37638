// strataperf: load and timestamp-accuracy benchmark for NTP servers. Thin shell: options,
// pre-flight checks, the rate ladder loop, output files. See README.md.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "common/version.h"
#include "hwts/socket_opt_id.h"
#include "tools/strataperf/json.h"
#include "tools/strataperf/load_engine.h"
#include "tools/strataperf/options.h"
#include "tools/strataperf/rate_ladder.h"
#include "tools/strataperf/results.h"
#include "tools/strataperf/svg_plot.h"
#include "tools/strataperf/target_check.h"

namespace {

using namespace strata;
using namespace strata::perf;

std::atomic<bool> g_interrupted{false};

void onSignal(int) { g_interrupted.store(true); }

int fail(const std::string& message, int code = 1) {
  std::cerr << "strataperf: " << message << "\n";
  return code;
}

common::Result<void> writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return common::makeError("cannot write " + path);
  return {};
}

common::Result<RunResult> readRun(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::makeError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > (64u << 20)) return common::makeError(path + ": larger than 64 MiB");
  auto doc = parseJson(text);
  if (!doc) return common::makeError(path + ": " + doc.error().message);
  auto run = runFromJson(*doc);
  if (!run) return common::makeError(path + ": " + run.error().message);
  return run;
}

std::string utcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string commandLine(int argc, char** argv) {
  std::string s = "strataperf";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool plain = !a.empty() && a.find_first_of(" \t'\"\\$`;&|<>()*?") == std::string::npos;
    if (plain) {
      s += " " + a;
      continue;
    }
    std::string quoted = "'";
    for (char c : a) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    s += " " + quoted + "'";
  }
  return s;
}

int plotRuns(const Options& o, const RunResult* current) {
  std::vector<RunResult> runs;
  if (current) runs.push_back(*current);
  for (const std::string& path : o.plot_inputs) {
    auto run = readRun(path);
    if (!run) return fail(run.error().message);
    runs.push_back(std::move(*run));
  }
  if (auto w = writeFile(o.plot_path, renderPlotSvg(runs)); !w) return fail(w.error().message);
  std::cerr << "strataperf: wrote " << o.plot_path << " (" << runs.size() << " run"
            << (runs.size() == 1 ? "" : "s") << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parseCommandLine(argc, argv);
  if (!parsed) return fail(parsed.error().message + " (see strataperf --help)", 2);
  const Options& o = *parsed;
  if (o.help) {
    std::cout << o.help_text;
    return 0;
  }
  if (o.version) {
    std::cout << "strataperf " << strata::kVersion << "\n";
    return 0;
  }
  if (!o.server) return plotRuns(o, nullptr);
  const common::SocketAddress server = *o.server;
  const bool hardware = !o.hw_interface.empty();

  // Pre-flight: hardware stamps if asked, same clock, reachable, local client addresses,
  // answers NTP.
  if (hardware) {
    if (auto r = checkHardwareInterface(o.hw_interface); !r) return fail(r.error().message);
  }
  auto facts = inspectRoute(server);
  if (!facts) return fail(facts.error().message);
  if (auto d = decideTargetLocality(server, *facts, hardware); !d) return fail(d.error().message);
  common::IpAddress first = clientAddress(o.source, 0);
  common::IpAddress last = clientAddress(o.source, o.clients - 1);
  for (const auto& a : {first, last}) {
    if (auto r = checkLocalAddress(a); !r) return fail(r.error().message);
  }
  auto probe = probeServer(server, first, std::chrono::milliseconds(1000));
  if (!probe) return fail(probe.error().message);
  auto counting = hwts::probeOptIdCounting();
  if (!counting && o.tx_sample > 1) {
    return fail(counting.error().message + " (needed to match sampled TX timestamps)");
  }
  // With a TX stamp on every request both countings number the reports alike.
  hwts::OptIdCounting opt_id = counting ? *counting : hwts::OptIdCounting::kEveryPacket;

  RunResult run;
  run.label = o.label;
  run.server = server.toString();
  run.mode = runModeName(o.mode);
  run.clients = o.clients;
  run.source = o.source.toString();
  run.sockets = o.sockets;
  run.threads = o.threads;
  run.step_time_s = o.step_time_s;
  run.timestamps = hardware ? "hardware (" + o.hw_interface + ")" : "kernel software";
  run.opt_id_counting = counting ? hwts::optIdCountingName(*counting) : "unknown";
  run.tx_sample = o.tx_sample;
  run.started_utc = utcNow();
  run.command = commandLine(argc, argv);

  EngineConfig cfg;
  cfg.server = server;
  cfg.source = o.source;
  cfg.clients = o.clients;
  cfg.threads = o.threads;
  cfg.sockets = o.sockets;
  cfg.batch = o.batch;
  cfg.tx_sample = o.tx_sample;
  cfg.mode = o.mode;
  cfg.hw_interface = o.hw_interface;
  cfg.opt_id_counting = opt_id;
  cfg.max_rate_per_s = o.rate.max_per_s;
  auto engine = LoadEngine::create(cfg);
  if (!engine) return fail(engine.error().message);

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  const bool tty = isatty(STDOUT_FILENO) == 1 && !o.quiet;
  if (!o.quiet) {
    char rtt[32];
    std::snprintf(rtt, sizeof rtt, "%.0f", static_cast<double>(probe->round_trip.count()) / 1000.0);
    std::cout << "strataperf " << strata::kVersion << ": server " << run.server << " (stratum "
              << static_cast<int>(probe->reply.stratum) << ", first reply in " << rtt << " us)\n"
              << "  mode " << run.mode << ", " << o.clients << " clients from " << run.source
              << ", " << o.threads << " thread pair(s) x " << o.sockets << " sockets, "
              << o.step_time_s << " s per step\n"
              << "  timestamps: " << run.timestamps << ", TX stamp on every "
              << (o.tx_sample == 1 ? std::string("request")
                                   : std::to_string(o.tx_sample) + "th request")
              << ", OPT_ID counts " << run.opt_id_counting << "\n";
    if (hardware) {
      std::cout << "  NOTE: hardware timestamps are in the NIC's PHC timescale; the errors are "
                   "only meaningful if that PHC is synchronized to the server's clock.\n";
    }
    std::cout << "\n" << tableHeader(run.mode) << std::flush;
  }

  RateLadder ladder(o.rate, o.step, o.max_loss_pct);
  std::optional<double> rate = ladder.currentRate();
  int planned = ladder.plannedSteps();
  while (rate && !g_interrupted.load()) {
    int step_no = ladder.stepIndex() + 1;
    auto tick = [&](double elapsed) {
      if (!tty) return;
      std::printf("\r  step %d/%d  rate %.0f/s  %.1f/%.1f s  sent %llu  replies %llu   ", step_no,
                  planned, *rate, elapsed, o.step_time_s,
                  static_cast<unsigned long long>((*engine)->liveSent()),
                  static_cast<unsigned long long>((*engine)->liveReplies()));
      std::fflush(stdout);
    };
    StepResult step = (*engine)->runStep(*rate, o.step_time_s, o.grace_s, tick);
    if (tty) std::printf("\r\033[K");
    if (!o.quiet) std::cout << tableRow(step, run.mode) << std::flush;
    run.steps.push_back(step);
    rate = ladder.advance(step.lostPct(), step.send_shortfall);
  }
  run.stop_reason = g_interrupted.load() ? "interrupted" : stopReasonText(ladder.stopReason());

  if (!o.quiet) {
    std::cout << "\nstopped: " << run.stop_reason << "\n";
    double best = highestRateBelowLoss(run, 1.0);
    if (best > 0) {
      std::cout << "highest offered rate with < 1 % loss: " << static_cast<uint64_t>(best)
                << " requests/s\n";
    } else {
      std::cout << "no step had less than 1 % loss\n";
    }
  }
  for (const StepResult& s : run.steps) {
    if (s.send_shortfall) {
      std::cerr << "strataperf: WARNING: could not send at " << static_cast<uint64_t>(s.rate_per_s)
                << " requests/s (sent " << static_cast<uint64_t>(s.sent_per_s)
                << "/s): that step measures the limit of this host, not of the server\n";
    }
    if (s.counters.tx_stamp_mismatch > s.counters.tx_stamps / 100) {
      std::cerr << "strataperf: WARNING: " << s.counters.tx_stamp_mismatch
                << " TX timestamp reports did not match their requests at "
                << static_cast<uint64_t>(s.rate_per_s) << "/s\n";
    }
  }

  int rc = 0;
  if (!o.csv_path.empty()) {
    std::string csv = csvHeader();
    for (const StepResult& s : run.steps) csv += csvRow(run, s);
    if (auto w = writeFile(o.csv_path, csv); !w) rc = fail(w.error().message);
  }
  if (!o.json_path.empty()) {
    if (auto w = writeFile(o.json_path, toJson(run)); !w) rc = fail(w.error().message);
  }
  if (!o.plot_path.empty()) {
    int p = plotRuns(o, &run);
    if (p != 0) rc = p;
  }
  if (g_interrupted.load()) return 130;
  return rc;
}
