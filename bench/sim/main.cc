// strata-sim-bench: runs the refclock discipline scenarios of tests/sim and prints their
// figures (the sim tests assert thresholds on the same runs; this prints what was measured).
//
// Usage: strata-sim-bench [SCENARIO...]   (default: all)
//        strata-sim-bench --trace SCENARIO   (one line per simulated second)
// Scenarios: pps, pps-kernel (the same, steering a simulated kernel clock), phc, holdover,
// falseticker.

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tests/sim/sim_world.h"

namespace {

using strata::sim::RunResult;
using strata::sim::Scenario;

double ns(double s) { return s * 1e9; }

void printCommon(const Scenario& sc, const RunResult& r, double steady_from) {
  auto all = strata::sim::errorStats(r, 0, sc.duration_s + 1);
  auto steady = strata::sim::errorStats(r, steady_from, sc.duration_s + 1);
  std::printf("  settle |err| < 1 us at      %8.0f s\n", strata::sim::settleTime(r, 1e-6));
  std::printf("  max |err| over run          %8.1f ns\n", ns(all.max_abs_s));
  std::printf("  steady state (t >= %4.0f s)  RMS %6.1f ns, max |err| %7.1f ns, %d s\n",
              steady_from, ns(steady.rms_s), ns(steady.max_abs_s), steady.rows);
  std::printf("  final: frequency %+.4f ppm (true %+.4f), skew %.5f ppm, stratum %d\n",
              r.final_tracking.frequency_ppm, sc.oscillator.initial_freq * 1e6,
              r.final_tracking.skew_ppm, r.final_tracking.stratum);
}

void runPps() {
  Scenario sc = strata::sim::ppsScenario();
  RunResult r = strata::sim::runScenario(sc);
  std::printf("pps: PPS 100 ns jitter (1%% of edges 20 us off) locked to NMEA, 20 ppm, seed %llu\n",
              static_cast<unsigned long long>(sc.seed));
  double first = -1;
  for (const auto& row : r.trace) {
    if (std::fabs(row.error_s) < 1e-6) {
      first = row.t_s;
      break;
    }
  }
  std::printf("  first |err| < 1 us at       %8.0f s (threshold 60 s)\n", first);
  auto after60 = strata::sim::errorStats(r, 60, sc.duration_s + 1);
  std::printf("  max |err| after 60 s        %8.1f ns (threshold 1000 ns)\n",
              ns(after60.max_abs_s));
  printCommon(sc, r, 300);
  std::printf("  (threshold: steady-state RMS <= 50 ns)\n");
}

void runPpsKernel() {
  Scenario sc = strata::sim::ppsScenario();
  sc.kernel_clock = true;
  RunResult r = strata::sim::runScenario(sc);
  std::printf("pps-kernel: the pps scenario steering a simulated kernel clock (clock_adjtime)\n");
  auto after60 = strata::sim::errorStats(r, 60, sc.duration_s + 1);
  std::printf("  max |err| after 60 s        %8.1f ns (threshold 1000 ns)\n",
              ns(after60.max_abs_s));
  printCommon(sc, r, 300);
}

void runPhc() {
  Scenario sc = strata::sim::phcScenario();
  RunResult r = strata::sim::runScenario(sc);
  std::printf(
      "phc: PHC read 1 us delay, 100 ns jitter, 0.5%% reads 5 us off, fails 900-960 s, -35 ppm, "
      "seed %llu\n",
      static_cast<unsigned long long>(sc.seed));
  printCommon(sc, r, 60);
  std::printf("  (threshold: RMS <= 100 ns)\n");
}

void runHoldover() {
  Scenario sc = strata::sim::holdoverScenario();
  double skew_at_loss = 0;
  RunResult r = strata::sim::runScenario(sc, [&](double t, strata::refclock::TimeKeeper& tk) {
    if (t == 1800) skew_at_loss = tk.tracking(strata::common::SysTime{}).skew_ppm * 1e-6;
  });
  std::printf(
      "holdover: GPS 100 ns jitter, lost from 1800 s to 5400 s, maxdistance 1 ms, seed %llu\n",
      static_cast<unsigned long long>(sc.seed));
  double max_err = 0, min_margin = 1e9, unsync_at = -1, bound_at_unsync = 0;
  bool bound_ok = true;
  for (const auto& row : r.trace) {
    if (row.t_s < 1800 || row.t_s >= 5400) continue;
    max_err = std::max(max_err, std::fabs(row.error_s));
    if (row.leap != strata::proto::LeapIndicator::kUnsynchronized) {
      min_margin = std::min(min_margin, row.bound_s - std::fabs(row.error_s));
      if (std::fabs(row.error_s) > row.bound_s) bound_ok = false;
    } else if (unsync_at < 0) {
      unsync_at = row.t_s;
      bound_at_unsync = row.bound_s;
    }
  }
  std::printf("  max |err| during the hour   %8.1f ns\n", ns(max_err));
  std::printf("  frequency error bound at loss %.5f ppm -> %.1f ns after 1 h (+ wander)\n",
              skew_at_loss * 1e6, ns(skew_at_loss * 3600));
  std::printf("  |err| <= advertised bound   %s (smallest margin %.1f us)\n",
              bound_ok ? "always" : "VIOLATED", min_margin * 1e6);
  std::printf("  leap 'not synchronised' at  %8.0f s (%.0f s into the outage, bound %.3f ms)\n",
              unsync_at, unsync_at - 1800, bound_at_unsync * 1e3);
  auto after = strata::sim::errorStats(r, 5400 + 300, sc.duration_s + 1);
  std::printf("  after recovery (+300 s)     RMS %6.1f ns, max %7.1f ns\n", ns(after.rms_s),
              ns(after.max_abs_s));
}

void runFalseticker() {
  Scenario sc = strata::sim::falsetickerScenario();
  RunResult r = strata::sim::runScenario(sc);
  std::printf("falseticker: 4 GPS refclocks (1 us jitter), GPS3 5 ms off, seed %llu\n",
              static_cast<unsigned long long>(sc.seed));
  int used = 0, x = 0, rows = 0;
  for (const auto& row : r.trace) {
    ++rows;
    auto st = row.status[3];
    if (st == strata::refclock::SelectStatus::kSelected ||
        st == strata::refclock::SelectStatus::kCombined) {
      ++used;
    }
    if (st == strata::refclock::SelectStatus::kFalseticker) ++x;
  }
  std::printf("  GPS3 selected or combined   %d of %d s (threshold: never)\n", used, rows);
  std::printf("  GPS3 marked falseticker 'x' %d of %d s\n", x, rows);
  printCommon(sc, r, 300);
}

void trace(const std::string& name) {
  Scenario sc = name == "pps"        ? strata::sim::ppsScenario()
                : name == "phc"      ? strata::sim::phcScenario()
                : name == "holdover" ? strata::sim::holdoverScenario()
                                     : strata::sim::falsetickerScenario();
  RunResult r = strata::sim::runScenario(sc);
  std::printf("# t_s error_ns bound_ns leap stratum selected\n");
  for (const auto& row : r.trace) {
    std::printf("%.0f %.1f %.1f %d %d %d\n", row.t_s, ns(row.error_s), ns(row.bound_s),
                static_cast<int>(row.leap), row.stratum, row.selected);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--trace") == 0 && i + 1 < argc) {
      trace(argv[i + 1]);
      return 0;
    }
    names.push_back(argv[i]);
  }
  if (names.empty()) names = {"pps", "pps-kernel", "phc", "holdover", "falseticker"};
  for (const auto& n : names) {
    if (n == "pps") {
      runPps();
    } else if (n == "pps-kernel") {
      runPpsKernel();
    } else if (n == "phc") {
      runPhc();
    } else if (n == "holdover") {
      runHoldover();
    } else if (n == "falseticker") {
      runFalseticker();
    } else {
      std::fprintf(stderr, "unknown scenario %s\n", n.c_str());
      return 2;
    }
  }
  return 0;
}
