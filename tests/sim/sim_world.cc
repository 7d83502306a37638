#include "tests/sim/sim_world.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "proto/refid.h"
#include "refclock/drivers/phc.h"
#include "refclock/drivers/pps.h"
#include "refclock/kernel_clock.h"
#include "refclock/software_clock.h"

namespace strata::sim {

namespace {

constexpr Nanos kSecond{common::kNanosPerSecond};

bool inOutage(const SourceSpec& spec, double t_s) {
  for (const auto& [from, to] : spec.outages) {
    if (t_s >= from && t_s < to) return true;
  }
  return false;
}

// An error for one reading: jitter, plus rarely an absurd one.
double readingError(World& w, const SourceSpec& spec) {
  double e = spec.bias_s + w.gauss(spec.jitter_s);
  if (spec.absurd_probability > 0 && w.uniform() < spec.absurd_probability) {
    e += (w.uniform() < 0.5 ? -1.0 : 1.0) * spec.absurd_s;
  }
  return e;
}

// PPS device: an edge at each true whole second, stamped by the raw clock with jitter.
class SimPpsDevice final : public refclock::PpsDevice {
 public:
  SimPpsDevice(World& w, SourceSpec spec) : w_(w), spec_(std::move(spec)) {}
  common::Result<refclock::PpsEdges> fetch() override {
    int64_t sec = w_.lastWholeSecond();
    if (sec != last_sec_) {
      double t_s = static_cast<double>(sec) - common::toSeconds(w_.start().time_since_epoch());
      SysTime local;
      if (!inOutage(spec_, t_s) && w_.localAtSecond(sec, local)) {
        // The edge marks true second `sec`; the reference's error makes the edge early/late.
        local += common::nanosFromSeconds(-readingError(w_, spec_));
        ++sequence_;
        edge_ = local;
      }
      last_sec_ = sec;
    }
    refclock::PpsEdges e;
    e.assert_sequence = sequence_;
    e.assert_time = edge_;
    return e;
  }

 private:
  World& w_;
  SourceSpec spec_;
  int64_t last_sec_ = -1;
  uint32_t sequence_ = 0;
  SysTime edge_{};
};

// PHC kept on true time (by PTP), read through a window of `read_delay` with jitter in where
// the PHC read falls; five triplets per read, the driver keeps the narrowest.
class SimPhcReader final : public refclock::PhcReader {
 public:
  SimPhcReader(World& w, SourceSpec spec) : w_(w), spec_(std::move(spec)) {}
  common::Result<std::vector<refclock::PhcOffsetSample>> readOffset(bool) override {
    std::vector<refclock::PhcOffsetSample> out;
    if (inOutage(spec_, w_.secondsSinceStart())) {
      return common::makeError("simulated PHC read failure");
    }
    const double f = w_.clock().frequencyError();
    for (int i = 0; i < 5; ++i) {
      double width = spec_.read_delay_s * (1.0 + 0.5 * std::fabs(w_.gauss(1.0)));
      refclock::PhcOffsetSample s;
      s.sys_before = w_.localNow();
      s.sys_after = s.sys_before + common::nanosFromSeconds(width * (1.0 + f));
      double at = width / 2 + readingError(w_, spec_);
      s.phc = w_.trueNow() + common::nanosFromSeconds(at);
      out.push_back(s);
    }
    return out;
  }

 private:
  World& w_;
  SourceSpec spec_;
};

// A source of complete time (GPS time message via SHM/SOCK), read at each poll.
class SimCompleteDriver final : public refclock::RefclockDriver {
 public:
  SimCompleteDriver(World& w, SourceSpec spec) : w_(w), spec_(std::move(spec)) {}
  std::string_view kind() const override { return "SIM"; }
  void poll(SysTime, refclock::SampleSink& sink) override {
    if (inOutage(spec_, w_.secondsSinceStart())) return;
    refclock::Sample s;
    s.local_time = w_.localNow();
    s.offset = (w_.trueNow() + common::nanosFromSeconds(readingError(w_, spec_))) - s.local_time;
    sink.sample(s);
  }

 private:
  World& w_;
  SourceSpec spec_;
};

// clock_adjtime on the simulated clock: frequency (freq + tick) and steps act on the SimClock
// the way the kernel would act on CLOCK_REALTIME.
class SimAdjtimex final : public refclock::AdjtimexBackend {
 public:
  explicit SimAdjtimex(World& w) : w_(w) {}
  int call(timex& tx) override {
    if (tx.modes & ADJ_FREQUENCY) {
      double ppm = refclock::kernelFrequencyPpm(tx, 10000);
      w_.clock().setFrequencyError(w_.clock().frequencyError() + (ppm - ppm_) * 1e-6);
      ppm_ = ppm;
    }
    if (tx.modes & ADJ_SETOFFSET) {
      w_.clock().step(Nanos(int64_t{tx.time.tv_sec} * common::kNanosPerSecond + tx.time.tv_usec));
    }
    if (tx.modes & ADJ_STATUS) status_ = tx.status;
    tx.tick = refclock::splitKernelFrequency(ppm_, 10000).tick_us;
    tx.freq = refclock::splitKernelFrequency(ppm_, 10000).freq;
    tx.status = status_;
    return TIME_OK;
  }

 private:
  World& w_;
  double ppm_ = 0;
  int status_ = STA_UNSYNC;
};

}  // namespace

World::World(uint64_t seed, SysTime start, OscillatorSpec osc)
    : clock_(start), start_(start), osc_(osc), rng_(seed) {
  clock_.step(common::nanosFromSeconds(osc.initial_offset_s));
  clock_.setFrequencyError(osc.initial_freq);
  last_second_ = std::chrono::floor<std::chrono::seconds>(start).time_since_epoch().count();
  readings_[last_second_] = clock_.now();
}

double World::gauss(double sigma) { return sigma == 0 ? 0.0 : sigma * normal_(rng_); }
double World::uniform() { return unit_(rng_); }

void World::advance(Nanos d) {
  while (d > Nanos(0)) {
    // Stop at each whole true second to record the reading and apply wander.
    SysTime next_sec = SysTime(std::chrono::seconds(last_second_ + 1));
    Nanos to_next = next_sec - clock_.trueTime();
    if (d < to_next) {
      advanceWithin(d);
      return;
    }
    advanceWithin(to_next);
    d -= to_next;
    last_second_ += 1;
    readings_[last_second_] = clock_.now();
    if (readings_.size() > 8) readings_.erase(readings_.begin());
    if (osc_.wander > 0) clock_.setFrequencyError(clock_.frequencyError() + gauss(osc_.wander));
  }
}

void World::advanceWithin(Nanos d) { clock_.advance(d); }

bool World::localAtSecond(int64_t sec, SysTime& out) const {
  auto it = readings_.find(sec);
  if (it == readings_.end()) return false;
  out = it->second;
  return true;
}

RunResult runScenario(const Scenario& sc,
                      const std::function<void(double, refclock::TimeKeeper&)>& on_second) {
  // A fixed, realistic start: 2026-03-01T00:00:00Z.
  const SysTime start = common::sysTimeFromNanos(1'772'323'200LL * common::kNanosPerSecond);
  World world(sc.seed, start, sc.oscillator);
  refclock::SoftwareClock software(world.localNow(), 0.0);
  SimAdjtimex adjtimex(world);
  std::unique_ptr<refclock::KernelClock> kernel;
  refclock::ClockControl* clock = &software;
  if (sc.kernel_clock) {
    auto created = refclock::KernelClock::create(adjtimex, world.localNow(), {});
    kernel = std::move(created.value());
    clock = kernel.get();
  }
  proto::ServerState published;
  refclock::TimeKeeper tk(
      sc.options, *clock, [&](const proto::ServerState& s) { published = s; }, world.localNow());

  for (const auto& spec : sc.sources) {
    refclock::SourceOptions o;
    o.name = spec.name;
    o.refid = proto::refIdFromText(spec.name);
    o.poll_log2 = spec.poll_log2;
    o.filter_length = spec.filter;
    o.noselect = spec.noselect;
    o.prefer = spec.prefer;
    o.offset = common::nanosFromSeconds(spec.offset_s);
    o.precision = common::nanosFromSeconds(spec.precision_s);
    if (!spec.lock.empty()) o.lock_refid = proto::refIdFromText(spec.lock);
    std::unique_ptr<refclock::RefclockDriver> driver;
    switch (spec.kind) {
      case SourceSpec::Kind::kPps:
        driver = std::make_unique<refclock::PpsDriver>(std::make_unique<SimPpsDevice>(world, spec),
                                                       refclock::PpsOptions{});
        break;
      case SourceSpec::Kind::kPhc:
        driver = std::make_unique<refclock::PhcDriver>(std::make_unique<SimPhcReader>(world, spec),
                                                       refclock::PhcOptions{});
        break;
      case SourceSpec::Kind::kComplete:
        driver = std::make_unique<SimCompleteDriver>(world, spec);
        break;
    }
    tk.addRefclock(o, spec.dpoll_log2, std::move(driver));
  }

  RunResult result;
  const int64_t seconds = static_cast<int64_t>(sc.duration_s);
  SysTime wake = tk.step(world.localNow());
  for (int64_t sec = 1; sec <= seconds; ++sec) {
    const SysTime true_end = start + sec * kSecond;
    while (world.trueNow() < true_end) {
      // Local and true time differ by the clock's error only: convert the wake-up roughly
      // and never step past the end of this second.
      Nanos until = wake - world.localNow();
      if (until < Nanos(1000)) until = Nanos(1000);
      Nanos left = true_end - world.trueNow();
      world.advance(std::min(until, left));
      if (world.localNow() >= wake) wake = tk.step(world.localNow());
    }
    // Evaluate at the whole second.
    TraceRow row;
    row.t_s = static_cast<double>(sec);
    SysTime served = published.correction.apply(world.localNow());
    row.error_s = common::toSeconds(served - world.trueNow());
    row.leap = published.leap;
    row.stratum = published.stratum;
    SysTime ref_time = published.reference_time.toSysTime(served);
    double since_ref = std::max(0.0, common::toSeconds(served - ref_time));
    row.bound_s = common::toSeconds(published.root_delay.toNanos()) / 2 +
                  common::toSeconds(published.root_dispersion.toNanos()) +
                  published.dispersion_rate * since_ref;
    for (size_t i = 0; i < tk.sourceCount(); ++i) {
      refclock::SelectStatus st = tk.source(static_cast<refclock::SourceId>(i)).status();
      row.status.push_back(st);
      if (st == refclock::SelectStatus::kSelected) row.selected = static_cast<int>(i);
    }
    result.trace.push_back(std::move(row));
    if (on_second) on_second(static_cast<double>(sec), tk);
  }
  for (size_t i = 0; i < tk.sourceCount(); ++i) {
    result.rejects.push_back(tk.source(static_cast<refclock::SourceId>(i)).rejects());
  }
  result.final_tracking = tk.tracking(world.localNow());
  return result;
}

ErrorStats errorStats(const RunResult& r, double from_s, double to_s) {
  ErrorStats s;
  double sum2 = 0;
  for (const auto& row : r.trace) {
    if (row.t_s < from_s || row.t_s >= to_s) continue;
    sum2 += row.error_s * row.error_s;
    s.max_abs_s = std::max(s.max_abs_s, std::fabs(row.error_s));
    ++s.rows;
  }
  if (s.rows > 0) s.rms_s = std::sqrt(sum2 / s.rows);
  return s;
}

double settleTime(const RunResult& r, double limit_s) {
  double settled = -1;
  for (const auto& row : r.trace) {
    if (std::fabs(row.error_s) >= limit_s) {
      settled = -1;
    } else if (settled < 0) {
      settled = row.t_s;
    }
  }
  return settled;
}

// ---- The scenarios of issue 7 -------------------------------------------------------------

namespace {

refclock::TimeKeeperOptions defaultOptions() {
  refclock::TimeKeeperOptions o;
  o.precision_log2 = -24;  // ~60 ns: a modern TSC clocksource
  o.servo.makestep_threshold_s = 0.1;
  o.servo.makestep_limit = 3;
  return o;
}

}  // namespace

Scenario ppsScenario() {
  Scenario sc;
  sc.name = "pps";
  sc.seed = 7001;
  sc.duration_s = 1800;
  sc.oscillator.initial_offset_s = 1e-3;
  sc.oscillator.initial_freq = 20e-6;
  sc.oscillator.wander = 2e-11;
  sc.options = defaultOptions();
  // refclock SHM 0 refid NMEA offset 0.0 noselect (GPS time messages, ms jitter)
  SourceSpec nmea;
  nmea.kind = SourceSpec::Kind::kComplete;
  nmea.name = "NMEA";
  nmea.bias_s = 0.02;
  nmea.jitter_s = 5e-3;
  nmea.poll_log2 = 4;
  nmea.dpoll_log2 = 0;
  nmea.noselect = true;
  // refclock PPS /dev/pps0 lock NMEA poll 0 (100 ns jitter, 1 % of edges 20 us off)
  SourceSpec pps;
  pps.kind = SourceSpec::Kind::kPps;
  pps.name = "PPS";
  pps.jitter_s = 100e-9;
  pps.absurd_probability = 0.01;
  pps.absurd_s = 20e-6;
  pps.poll_log2 = 0;
  pps.dpoll_log2 = 0;
  pps.lock = "NMEA";
  sc.sources = {nmea, pps};
  return sc;
}

Scenario phcScenario() {
  Scenario sc;
  sc.name = "phc";
  sc.seed = 7002;
  sc.duration_s = 1800;
  sc.oscillator.initial_offset_s = 1e-3;
  sc.oscillator.initial_freq = -35e-6;
  sc.oscillator.wander = 2e-11;
  sc.options = defaultOptions();
  // refclock PHC /dev/ptp0 poll 0 dpoll -2; the device fails for a minute (reads return
  // errors, as when a NIC resets) and 0.5 % of reads are 5 us off.
  SourceSpec phc;
  phc.kind = SourceSpec::Kind::kPhc;
  phc.name = "PHC0";
  phc.jitter_s = 100e-9;
  phc.read_delay_s = 1e-6;
  phc.outages = {{900, 960}};
  phc.absurd_probability = 0.005;
  phc.absurd_s = 5e-6;
  phc.poll_log2 = 0;
  phc.dpoll_log2 = -2;
  sc.sources = {phc};
  return sc;
}

Scenario holdoverScenario() {
  Scenario sc;
  sc.name = "holdover";
  sc.seed = 7003;
  sc.duration_s = 1800 + 3600 + 900;
  sc.oscillator.initial_offset_s = 1e-3;
  sc.oscillator.initial_freq = 20e-6;
  sc.oscillator.wander = 2e-11;
  sc.options = defaultOptions();
  // A tight maxdistance so that the hour without reference crosses it: the leap status
  // must turn "not synchronised" when (and not before) the advertised bound passes it.
  sc.options.selection.max_distance_s = 1e-3;
  SourceSpec gps;
  gps.kind = SourceSpec::Kind::kComplete;
  gps.name = "GPS";
  gps.jitter_s = 100e-9;
  gps.poll_log2 = 0;
  gps.dpoll_log2 = 0;
  gps.outages = {{1800, 1800 + 3600}};
  sc.sources = {gps};
  return sc;
}

Scenario falsetickerScenario() {
  Scenario sc;
  sc.name = "falseticker";
  sc.seed = 7004;
  sc.duration_s = 1800;
  sc.oscillator.initial_offset_s = 1e-3;
  sc.oscillator.initial_freq = 10e-6;
  sc.oscillator.wander = 2e-11;
  sc.options = defaultOptions();
  for (int i = 0; i < 4; ++i) {
    SourceSpec s;
    s.kind = SourceSpec::Kind::kComplete;
    s.name = "GPS" + std::to_string(i);
    s.jitter_s = 1e-6;
    s.poll_log2 = 2;
    s.dpoll_log2 = 0;
    if (i == 3) s.bias_s = 5e-3;  // the falseticker
    sc.sources.push_back(s);
  }
  return sc;
}

}  // namespace strata::sim
