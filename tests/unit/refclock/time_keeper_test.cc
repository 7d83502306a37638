#include "refclock/time_keeper.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "proto/refid.h"
#include "refclock/kernel_clock.h"
#include "refclock/software_clock.h"
#include "tests/unit/refclock/test_util.h"

namespace strata::refclock {
namespace {

using namespace testing;

class FnDriver final : public RefclockDriver {
 public:
  using Fn = std::function<void(SysTime, SampleSink&)>;
  explicit FnDriver(Fn fn, bool pulses = false) : fn_(std::move(fn)), pulses_(pulses) {}
  std::string_view kind() const override { return "FN"; }
  bool producesPulses() const override { return pulses_; }
  void poll(SysTime now, SampleSink& sink) override {
    if (fn_) fn_(now, sink);
  }

 private:
  Fn fn_;
  bool pulses_;
};

SourceOptions refclock(const char* name, int poll = 0) {
  SourceOptions o;
  o.name = name;
  o.refid = proto::refIdFromText(name);
  o.poll_log2 = poll;
  return o;
}

// A TimeKeeper on a SoftwareClock whose raw clock is exact (local == true time), so the
// served error is the correction minus what the reference says.
struct Harness {
  explicit Harness(TimeKeeperOptions o = {}) : clock(kT0, 0.0) {
    tk = std::make_unique<TimeKeeper>(
        o, clock,
        [this](const proto::ServerState& s) {
          state = s;
          ++publishes;
        },
        kT0);
  }
  // Runs step() once per `dt` until `until` (seconds since kT0).
  void runTo(double until, double dt = 0.25) {
    while (now < at(until)) {
      now += common::nanosFromSeconds(dt);
      tk->step(now);
    }
  }
  SoftwareClock clock;
  std::unique_ptr<TimeKeeper> tk;
  proto::ServerState state;
  int publishes = 0;
  SysTime now = kT0;
  Nanos stepped{0};  // how far a test stepped the local clock away from true time
};

// Reference says the true time is local + offset.
FnDriver::Fn constantOffset(Nanos offset) {
  return [offset](SysTime now, SampleSink& sink) {
    Sample s;
    s.local_time = now;
    s.offset = offset;
    sink.sample(s);
  };
}

Sample ppsPulseSampleForTest(SysTime edge) {
  Sample s;
  s.local_time = edge;
  s.offset = Nanos(-(common::nanosSinceEpoch(edge) % kSec));
  s.pulse = true;
  return s;
}

TEST(TimeKeeper, NoSourcesNoLocalMeansUnsynchronisedStratum16) {
  Harness h;
  EXPECT_GE(h.publishes, 1);
  h.runTo(10);
  EXPECT_EQ(h.state.leap, LeapIndicator::kUnsynchronized);
  EXPECT_EQ(h.state.stratum, 16);
  EXPECT_EQ(h.tk->tracking(h.now).stratum, 0);
  EXPECT_FALSE(h.tk->synchronised());
}

TEST(TimeKeeper, LocalStratumWhenNothingIsSelectable) {
  TimeKeeperOptions o;
  o.local = LocalOptions{};
  o.local->stratum = 8;
  Harness h(o);
  h.runTo(2);
  EXPECT_EQ(h.state.leap, LeapIndicator::kNone);
  EXPECT_EQ(h.state.stratum, 8);
  EXPECT_EQ(h.state.reference_id, 0x7F7F0101u);
  TrackingReport t = h.tk->tracking(h.now);
  EXPECT_TRUE(t.local_active);
  EXPECT_EQ(t.reference_id, 0x7F7F0101u);
}

TEST(TimeKeeper, LocalWithActivateWaitsForAGoodSynchronisation) {
  TimeKeeperOptions o;
  o.local = LocalOptions{};
  o.local->activate_s = 1e-3;
  Harness h(o);
  h.runTo(5);
  EXPECT_EQ(h.state.stratum, 16);  // never synchronised: not activated
}

TEST(TimeKeeper, SynchronisesToARefclockAndReportsIt) {
  Harness h;
  SourceId id = h.tk->addRefclock(refclock("GPS"), 0,
                                  std::make_unique<FnDriver>(constantOffset(Nanos(2'000'000))));
  h.runTo(30);
  EXPECT_EQ(h.state.leap, LeapIndicator::kNone);
  EXPECT_EQ(h.state.stratum, 1);
  EXPECT_EQ(h.state.reference_id, proto::refIdFromText("GPS"));
  // The served time is 2 ms ahead of the (exact) raw clock, like the reference.
  EXPECT_NEAR(common::toSeconds(h.state.correction.offsetAt(h.now)), 2e-3, 1e-8);
  TrackingReport t = h.tk->tracking(h.now);
  EXPECT_EQ(t.reference_name, "GPS");
  EXPECT_EQ(t.stratum, 1);
  EXPECT_NEAR(t.system_time_s, 2e-3, 1e-8);  // the system clock is 2 ms slow of NTP time
  EXPECT_NEAR(t.frequency_ppm, 0.0, 1e-3);
  auto sources = h.tk->sources(h.now);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].state_char, '*');
  EXPECT_EQ(sources[0].kind, SourceKind::kRefclock);
  EXPECT_EQ(sources[0].reach, 0377);
  EXPECT_NEAR(sources[0].last_offset_s, 0.0, 1e-8);
  EXPECT_GT(sources[0].samples_accepted, 20u);
  auto stats = h.tk->sourceStats(h.now);
  EXPECT_GE(stats[0].samples, 3);
  EXPECT_NEAR(stats[0].offset_s, 0.0, 1e-8);
  EXPECT_EQ(h.tk->source(id).status(), SelectStatus::kSelected);
}

TEST(TimeKeeper, FrequencySignFollowsChrony) {
  // The raw clock runs 10 ppm fast: the reference falls behind it by 10 us per second.
  Harness h;
  h.tk->addRefclock(refclock("GPS"), 0,
                    std::make_unique<FnDriver>([](SysTime now, SampleSink& sink) {
                      Sample s;
                      s.local_time = now;
                      s.offset = -common::nanosFromSeconds(10e-6 * common::toSeconds(now - kT0));
                      sink.sample(s);
                    }));
  h.runTo(60);
  TrackingReport t = h.tk->tracking(h.now);
  EXPECT_NEAR(t.frequency_ppm, 10.0, 1e-3);  // "10.000 ppm fast"
  EXPECT_NEAR(h.tk->frequencyPpm(), 10.0, 1e-3);
  EXPECT_NEAR(common::toSeconds(h.state.correction.offsetAt(h.now)),
              -10e-6 * common::toSeconds(h.now - kT0), 1e-8);
}

TEST(TimeKeeper, RejectsBadSamplesAndCountsThem) {
  Harness h;
  SourceId id = h.tk->addRefclock(refclock("SHM0"), 0, std::make_unique<FnDriver>(nullptr));
  Sample s;
  s.local_time = at(100);
  h.now = at(100);
  EXPECT_FALSE(h.tk->addSample(id, s, h.now));
  EXPECT_EQ(h.tk->addSample(id, s, h.now), RejectReason::kOutOfOrder);
  s.local_time = at(90);
  EXPECT_EQ(h.tk->addSample(id, s, h.now), RejectReason::kStale);
  s.local_time = at(103);
  EXPECT_EQ(h.tk->addSample(id, s, h.now), RejectReason::kFromFuture);
  s.local_time = at(100.5);
  s.leap = LeapIndicator::kUnsynchronized;
  EXPECT_EQ(h.tk->addSample(id, s, h.now + Nanos(kSec)), RejectReason::kUnsynchronised);
  s.leap = LeapIndicator::kNone;
  s.offset = Nanos(int64_t{3'000'000'000} * kSec);
  EXPECT_EQ(h.tk->addSample(id, s, h.now + Nanos(kSec)), RejectReason::kAbsurdOffset);
  s.offset = Nanos(0);
  s.dispersion = Nanos(-1);
  EXPECT_EQ(h.tk->addSample(id, s, h.now + Nanos(kSec)), RejectReason::kBadDispersion);
  const auto& r = h.tk->source(id).rejects();
  EXPECT_EQ(r[static_cast<size_t>(RejectReason::kStale)], 1u);
  EXPECT_EQ(r[static_cast<size_t>(RejectReason::kOutOfOrder)], 1u);
  EXPECT_EQ(h.tk->source(id).accepted(), 1u);
}

// A PPS edge at every whole second of true time, stamped 300 ns late by the local clock, which
// is 2 ms behind true time: the pulse alone says "-0.002300 s modulo 1 s".
FnDriver::Fn ppsEdges() {
  return [](SysTime now, SampleSink& sink) {
    SysTime true_now = now + Nanos(2'000'000);
    SysTime edge_true = std::chrono::floor<std::chrono::seconds>(true_now);
    SysTime edge_local = edge_true - Nanos(2'000'000) + Nanos(300);
    Sample s;
    s.local_time = edge_local;
    int64_t within = common::nanosSinceEpoch(edge_local) % kSec;
    s.offset = Nanos(-within);
    s.pulse = true;
    sink.sample(s);
  };
}

TEST(TimeKeeper, PulsesNeedALockOrASynchronisedClock) {
  Harness h;
  SourceId pps =
      h.tk->addRefclock(refclock("PPS"), 0, std::make_unique<FnDriver>(ppsEdges(), true));
  h.runTo(5);
  EXPECT_GT(h.tk->source(pps).rejects()[static_cast<size_t>(RejectReason::kPulseNoLock)], 0u);
  EXPECT_EQ(h.state.stratum, 16);
}

TEST(TimeKeeper, PulsesCompletedByTheLockSource) {
  Harness h;
  // NMEA: complete but 30 ms late and noselect; PPS locked to it.
  SourceOptions nmea = refclock("NMEA", 2);
  nmea.noselect = true;
  h.tk->addRefclock(nmea, 0,
                    std::make_unique<FnDriver>(constantOffset(Nanos(2'000'000 - 30'000'000))));
  SourceOptions pps_opts = refclock("PPS");
  pps_opts.lock_refid = proto::refIdFromText("NMEA");
  SourceId pps = h.tk->addRefclock(pps_opts, 0, std::make_unique<FnDriver>(ppsEdges(), true));
  h.runTo(30);
  EXPECT_EQ(h.state.stratum, 1);
  EXPECT_EQ(h.state.reference_id, proto::refIdFromText("PPS"));
  // The pulse says the local clock is 2 ms - 300 ns behind.
  EXPECT_NEAR(common::toSeconds(h.state.correction.offsetAt(h.now)), 2e-3 - 300e-9, 1e-8);
  EXPECT_EQ(h.tk->source(pps).status(), SelectStatus::kSelected);
}

TEST(TimeKeeper, LockSourceThatDisagreesIsRejected) {
  Harness h;
  SourceOptions nmea = refclock("NMEA", 2);
  nmea.noselect = true;
  h.tk->addRefclock(nmea, 0, std::make_unique<FnDriver>(constantOffset(Nanos(450'000'000))));
  SourceOptions pps_opts = refclock("PPS");
  pps_opts.lock_refid = proto::refIdFromText("NMEA");
  SourceId pps = h.tk->addRefclock(pps_opts, 0, std::make_unique<FnDriver>(ppsEdges(), true));
  h.runTo(5);
  EXPECT_GT(h.tk->source(pps).rejects()[static_cast<size_t>(RejectReason::kLockMismatch)], 0u);
}

TEST(TimeKeeper, WidthDropsTheWrongEdge) {
  Harness h;
  SourceOptions nmea = refclock("NMEA", 2);
  nmea.noselect = true;
  h.tk->addRefclock(nmea, 0, std::make_unique<FnDriver>(constantOffset(Nanos(2'000'000))));
  SourceOptions pps_opts = refclock("PPS");
  pps_opts.lock_refid = proto::refIdFromText("NMEA");
  pps_opts.width_s = 0.2;
  // Every edge reported is the falling one, 200 ms after the second.
  SourceId pps = h.tk->addRefclock(pps_opts, 0,
                                   std::make_unique<FnDriver>(
                                       [](SysTime now, SampleSink& sink) {
                                         SysTime edge =
                                             std::chrono::floor<std::chrono::seconds>(now) -
                                             Nanos(2'000'000) + Nanos(200'000'000);
                                         if (edge > now) return;
                                         sink.sample(ppsPulseSampleForTest(edge));
                                       },
                                       true));
  h.runTo(10);
  EXPECT_GT(h.tk->source(pps).rejects()[static_cast<size_t>(RejectReason::kWidth)], 3u);
  EXPECT_EQ(h.tk->source(pps).accepted(), 0u);
}

TEST(TimeKeeper, MakestepAppliesTheRemainingSlewAtOnce) {
  TimeKeeperOptions o;
  o.servo.max_slew_rate = 100e-6;  // 2 ms then takes 20 s to slew
  Harness h(o);
  h.tk->addRefclock(refclock("GPS"), 0,
                    std::make_unique<FnDriver>(constantOffset(Nanos(2'000'000))));
  h.runTo(4);
  ASSERT_TRUE(h.clock.model().slewing());
  Nanos before = h.state.correction.offsetAt(h.now);
  EXPECT_LT(before, Nanos(2'000'000));
  h.tk->makestep(h.now);
  EXPECT_FALSE(h.clock.model().slewing());
  EXPECT_NEAR(common::toSeconds(h.state.correction.offsetAt(h.now)), 2e-3, 2e-6);
}

TEST(TimeKeeper, ExternalStepOfTheSystemClockDoesNotMoveServedTime) {
  Harness h;
  h.tk->addRefclock(refclock("GPS"), 0,
                    std::make_unique<FnDriver>([&h](SysTime now, SampleSink& sink) {
                      // True time is kT0-based and unaffected by the step of the local clock.
                      Sample s;
                      s.local_time = now;
                      s.offset = Nanos(2'000'000) + h.stepped;
                      sink.sample(s);
                    }));
  h.runTo(30);
  SysTime served_before = h.state.correction.apply(h.now);
  // Someone sets CLOCK_REALTIME back by 1 s.
  h.now -= Nanos(kSec);
  h.stepped = Nanos(kSec);
  h.tk->onExternalStep(Nanos(-kSec), h.now);
  EXPECT_EQ(h.state.correction.apply(h.now), served_before);
  h.runTo(59);
  EXPECT_EQ(h.state.stratum, 1);
  EXPECT_NEAR(common::toSeconds(h.state.correction.offsetAt(h.now)), 1.002, 1e-7);
}

TEST(TimeKeeper, HoldoverGrowsDispersionThenLocalTakesOver) {
  TimeKeeperOptions o;
  o.max_clock_error = 100e-6;  // fast-growing bound for the test
  o.local = LocalOptions{};
  o.local->distance_s = 1e-3;
  Harness h(o);
  bool on = true;
  h.tk->addRefclock(refclock("GPS"), 0,
                    std::make_unique<FnDriver>([&on](SysTime now, SampleSink& sink) {
                      if (!on) return;
                      Sample s;
                      s.local_time = now;
                      sink.sample(s);
                    }));
  h.runTo(30);
  ASSERT_EQ(h.state.stratum, 1);
  on = false;
  h.runTo(35);
  EXPECT_EQ(h.state.stratum, 1);  // holdover: still the refclock, with growing dispersion
  EXPECT_GT(h.tk->tracking(h.now).root_dispersion_s, 4e-4);
  h.runTo(45);
  EXPECT_EQ(h.state.stratum, 10);  // distance passed 1 ms: local reference
  EXPECT_EQ(h.state.reference_id, 0x7F7F0101u);
  on = true;
  h.runTo(60);
  EXPECT_EQ(h.state.stratum, 1);
}

TEST(TimeKeeper, HoldoverWithoutLocalEndsUnsynchronised) {
  TimeKeeperOptions o;
  o.max_clock_error = 100e-6;
  o.selection.max_distance_s = 1e-3;
  Harness h(o);
  bool on = true;
  h.tk->addRefclock(refclock("GPS"), 0,
                    std::make_unique<FnDriver>([&on](SysTime now, SampleSink& sink) {
                      if (!on) return;
                      Sample s;
                      s.local_time = now;
                      sink.sample(s);
                    }));
  h.runTo(30);
  on = false;
  h.runTo(50);
  EXPECT_EQ(h.state.leap, LeapIndicator::kUnsynchronized);
  EXPECT_EQ(h.state.stratum, 16);
  auto src = h.tk->sources(h.now);
  EXPECT_EQ(src[0].reach, 0);
  EXPECT_EQ(src[0].state_char, '?');
}

TEST(TimeKeeper, InsertsALeapSecondInTheServedTimescale) {
  // Start at 2016-12-31T23:58:00Z; the table knows the leap at its end.
  const int64_t midnight = 1483228800;
  LeapSecondTable table({{midnight, 27}});
  TimeKeeperOptions o;
  o.leap_table = &table;
  SysTime start = common::sysTimeFromNanos((midnight - 120) * kSec);
  SoftwareClock clock(start, 0.0);
  proto::ServerState state;
  TimeKeeper tk(
      o, clock, [&](const proto::ServerState& s) { state = s; }, start);
  // The reference is UTC: after the leap it is one second behind the (unstepped) raw clock.
  tk.addRefclock(refclock("GPS"), 0, std::make_unique<FnDriver>([&](SysTime now, SampleSink& sink) {
                   Sample s;
                   s.local_time = now;
                   s.offset =
                       now >= common::sysTimeFromNanos(midnight * kSec) ? Nanos(-kSec) : Nanos(0);
                   sink.sample(s);
                 }));
  SysTime now = start;
  auto run_to = [&](int64_t t) {
    while (now < common::sysTimeFromNanos(t * kSec)) {
      now += Nanos(kSec / 4);
      tk.step(now);
    }
  };
  run_to(midnight - 10);
  EXPECT_EQ(state.leap, LeapIndicator::kInsertSecond);
  EXPECT_EQ(state.stratum, 1);
  EXPECT_EQ(state.correction.offsetAt(now), Nanos(0));
  run_to(midnight + 30);
  EXPECT_EQ(state.leap, LeapIndicator::kNone);
  EXPECT_EQ(state.stratum, 1);
  EXPECT_NEAR(common::toSeconds(state.correction.offsetAt(now)), -1.0, 1e-7);
  // The source's history was moved with the leap: no outliers, no restart.
  EXPECT_EQ(tk.source(0).rejects()[static_cast<size_t>(RejectReason::kOutlier)], 0u);
}

class CountingAdjtimex final : public AdjtimexBackend {
 public:
  int call(timex& tx) override {
    if (tx.modes & ADJ_FREQUENCY) ++frequency;
    if (tx.modes & ADJ_STATUS) last_status = tx.status;
    return TIME_OK;
  }
  int frequency = 0;
  int last_status = 0;
};

TEST(TimeKeeper, KernelControlServesTheKernelClockAndSetsItsStatus) {
  CountingAdjtimex fake;
  auto kc = KernelClock::create(fake, kT0, {.rtcsync = true});
  ASSERT_TRUE(kc);
  proto::ServerState state;
  TimeKeeper tk(
      {}, **kc, [&](const proto::ServerState& s) { state = s; }, kT0);
  tk.addRefclock(refclock("GPS"), 0, std::make_unique<FnDriver>(constantOffset(Nanos(0))));
  SysTime now = kT0;
  for (int i = 0; i < 40; ++i) tk.step(now += Nanos(kSec / 4));
  EXPECT_EQ(state.stratum, 1);
  EXPECT_TRUE(state.correction.isIdentity());
  EXPECT_GT(fake.frequency, 3);
  EXPECT_EQ(fake.last_status & STA_UNSYNC, 0);  // synchronised + rtcsync: 11-minute mode
}

TEST(TimeKeeper, ExternalSourcesFeedTheSamePipeline) {
  Harness h;
  SourceOptions o;
  o.name = "192.0.2.1";
  o.kind = SourceKind::kServer;
  o.refid = 0xC0000201;
  o.filter_length = 0;
  SourceId id = h.tk->addExternalSource(o);
  for (int i = 1; i <= 8; ++i) {
    h.now = at(i * 2.0);
    Sample s;
    s.local_time = h.now;
    s.offset = Nanos(-500'000);
    s.delay = Nanos(200'000);
    s.root_delay = Nanos(1'000'000);
    s.root_dispersion = Nanos(100'000);
    s.stratum = 2;
    h.tk->markReach(id, true);
    EXPECT_FALSE(h.tk->addSample(id, s, h.now));
    h.tk->step(h.now);
  }
  EXPECT_EQ(h.state.stratum, 3);
  EXPECT_EQ(h.state.reference_id, 0xC0000201u);
  // Root delay: the server's 1 ms plus our 0.2 ms round trip.
  EXPECT_NEAR(common::toSeconds(h.state.root_delay.toNanos()), 1.2e-3, 2e-5);
  EXPECT_EQ(h.tk->activity().online, 1);
  h.tk->setOnline(id, false);
  EXPECT_EQ(h.tk->activity().offline, 1);
  EXPECT_EQ(h.tk->sources(h.now)[0].kind, SourceKind::kServer);
}

}  // namespace
}  // namespace strata::refclock
