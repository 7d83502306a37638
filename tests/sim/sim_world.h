#pragma once
// Discipline simulation: a simulated oscillator (common::SimClock with frequency error,
// random-walk frequency wander), simulated reference clocks (PPS edges, PHC reads, complete
// time like an NMEA/GPS SHM feed) with jitter, bias, outages and absurd samples, and a runner
// that drives a real TimeKeeper with a SoftwareClock and measures the served time's error
// against true time once per true second. Fixed seeds make every run identical.
//
// Used by the sim tests (tests/sim/*_test.cc) and by the bench tool (bench/sim) that prints
// the figures. Not thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "proto/server_state.h"
#include "refclock/time_keeper.h"

namespace strata::sim {

using common::Nanos;
using common::SysTime;

struct OscillatorSpec {
  double initial_offset_s = 0;  // reading - true at start
  double initial_freq = 0;      // reading gains this fraction (20e-6 = 20 ppm fast)
  double wander = 0;            // frequency random walk: standard deviation per sqrt(second)
};

// True time, the raw clock and the random source of one simulation.
class World {
 public:
  World(uint64_t seed, SysTime start, OscillatorSpec osc);

  common::SimClock& clock() { return clock_; }
  SysTime trueNow() const { return clock_.trueTime(); }
  SysTime localNow() const { return clock_.now(); }
  double secondsSinceStart() const { return common::toSeconds(trueNow() - start_); }
  // Advances true time by `d` (any length); applies wander once per true second and records
  // the clock reading at every integer true second passed.
  void advance(Nanos d);
  // Clock reading at integer true second `sec` (seconds since the epoch), if it was passed.
  bool localAtSecond(int64_t sec, SysTime& out) const;
  int64_t lastWholeSecond() const { return last_second_; }
  double gauss(double sigma);
  double uniform();
  SysTime start() const { return start_; }

 private:
  void advanceWithin(Nanos d);

  common::SimClock clock_;
  SysTime start_;
  OscillatorSpec osc_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
  int64_t last_second_;
  std::map<int64_t, SysTime> readings_;  // recent whole seconds only
};

struct SourceSpec {
  enum class Kind { kPps, kComplete, kPhc };
  Kind kind = Kind::kComplete;
  std::string name;
  double bias_s = 0;        // constant error of the reference (a falseticker's 5 ms)
  double jitter_s = 0;      // standard deviation of each reading's error
  double read_delay_s = 0;  // PHC: width of the system-PHC-system read window
  std::vector<std::pair<double, double>> outages;  // [start, end) seconds since start
  double absurd_probability = 0;                   // chance per reading of an absurd error ...
  double absurd_s = 0;                             // ... of this size (random sign)
  int poll_log2 = 0;
  int dpoll_log2 = 0;
  int filter = 64;
  bool noselect = false;
  bool prefer = false;
  std::string lock;        // PPS: refid of the refclock that completes the seconds
  double offset_s = 0;     // `offset` option
  double precision_s = 0;  // `precision` option (0: the TimeKeeper's default)
};

struct Scenario {
  std::string name;
  uint64_t seed = 1;
  double duration_s = 600;
  OscillatorSpec oscillator;
  std::vector<SourceSpec> sources;
  refclock::TimeKeeperOptions options;
  // Steer the simulated clock itself through KernelClock (a simulated clock_adjtime) instead
  // of serving a software correction.
  bool kernel_clock = false;
};

// One row per true second.
struct TraceRow {
  double t_s = 0;      // since start
  double error_s = 0;  // served - true
  double bound_s = 0;  // root delay/2 + root dispersion grown to now
  proto::LeapIndicator leap = proto::LeapIndicator::kUnsynchronized;
  int stratum = 16;
  int selected = -1;                           // index of the selected source, -1 none
  std::vector<refclock::SelectStatus> status;  // per source
};

struct RunResult {
  std::vector<TraceRow> trace;
  // Per source: rejected-sample counters (for robustness checks).
  std::vector<refclock::RejectCounters> rejects;
  refclock::TrackingReport final_tracking;
};

// Runs the scenario to its end. `on_second` (optional) is called after each true second with
// the TimeKeeper, e.g. to take reports.
RunResult runScenario(const Scenario& scenario,
                      const std::function<void(double t_s, refclock::TimeKeeper&)>& on_second = {});

// Summary figures over rows with t in [from_s, to_s).
struct ErrorStats {
  double rms_s = 0;
  double max_abs_s = 0;
  int rows = 0;
};
ErrorStats errorStats(const RunResult& r, double from_s, double to_s);
// First time after which |error| stays below `limit_s` until the end (or -1).
double settleTime(const RunResult& r, double limit_s);

// The scenarios of issue 7 with the thresholds they must meet.
Scenario ppsScenario();          // PPS 100 ns jitter, 20 ppm, locked to an NMEA feed
Scenario phcScenario();          // PHC read 1 us delay, 100 ns jitter
Scenario holdoverScenario();     // reference lost for 1 h
Scenario falsetickerScenario();  // one refclock 5 ms off among three good ones

}  // namespace strata::sim
