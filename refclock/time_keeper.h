#pragma once
// TimeKeeper: owns the time sources and runs the pipeline
//   driver samples -> checks & pulse completion -> filter -> statistics -> selection ->
//   combining -> servo -> ClockControl -> published proto::ServerState
// and answers the control reports.
//
// It is a step machine with no threads, sleeps or clock reads of its own: the caller passes
// the current system-clock reading to step() and gets back when it wants to run next. The
// daemon runs it in one thread (TimeKeeperLoop: epoll + timerfd); tests and simulations call
// step() with SimClock readings.
//
// Sources are either refclocks (a RefclockDriver polled every 2^dpoll s and/or read when its
// fd is readable; a median filter per 2^poll s) or external (the NTP client of issue 8 calls
// addSample()/markReach() itself; no filter by default, every sample updates the
// statistics and runs selection on the next step()).
//
// When nothing is selectable the state follows chrony: holdover with the root dispersion
// growing at skew + maxclockerror per second; leap "not synchronised" and stratum 16 once the
// root distance passes maxdistance or if it never synchronised; `local stratum N` instead when
// configured (see LocalOptions).
//
// Thread-safety: none. Every method must be called on the TimeKeeper's thread; the
// published state crosses threads through the callback (e.g. into a common::SeqLock).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "proto/server_state.h"
#include "refclock/clock_control.h"
#include "refclock/drivers/driver.h"
#include "refclock/leap.h"
#include "refclock/observer.h"
#include "refclock/reports.h"
#include "refclock/selection.h"
#include "refclock/servo.h"
#include "refclock/source.h"

namespace strata::refclock {

// chrony's `local` directive.
//  stratum:  served stratum while the local reference is active (1..15).
//  distance: after having been synchronised, the local reference activates once the root
//            distance (growing in holdover) reaches this (seconds).
//  orphan:   sources whose stratum is >= the local stratum are only used when no other source
//            is selectable (ntpd's orphan mode, without chrony's refid tie-break).
//  activate: if > 0, the local reference is never used until the root distance has once
//            been below this value (a server that never synchronised well stays unsynced).
//  waitsynced: if > 0, after start the local reference waits this many seconds for a first
//            synchronisation before it activates.
struct LocalOptions {
  int stratum = 10;
  double distance_s = 1.0;
  bool orphan = false;
  double activate_s = 0;
  double waitsynced_s = 0;
};

// chrony's `leapsecmode`. Under no clock control, `system` and `step` both step the served
// timescale; under kernel control `system` lets the kernel insert/delete (STA_INS/STA_DEL).
enum class LeapSecMode : uint8_t { kSystem, kStep, kSlew, kIgnore };

struct TimeKeeperOptions {
  SelectionOptions selection;
  ServoOptions servo;
  std::optional<LocalOptions> local;
  int precision_log2 = -20;       // served precision, and the default sample precision
  double max_clock_error = 1e-6;  // `maxclockerror` (1 ppm): wander of our clock
  LeapSecMode leap_mode = LeapSecMode::kSystem;
  const LeapSecondTable* leap_table = nullptr;  // `leapsectz` data (not owned), or null
  // Driftfile: frequency of the uncorrected clock (ppm, + = fast) and its error bound.
  std::optional<double> initial_freq_ppm;
  double initial_skew_ppm = 1e6;  // without a driftfile: unknown
  // Samples with |offset| above this are absurd (default 2^31 s: beyond any clock).
  Nanos max_offset{int64_t{2147483648} * common::kNanosPerSecond};
  // A refclock sample older than max(stale_min, 4 x its driver poll interval) is stale.
  Nanos stale_min{common::kNanosPerSecond * 4};
};

class TimeKeeper {
 public:
  using PublishFn = std::function<void(const proto::ServerState&)>;

  // `clock` (not owned) must outlive the TimeKeeper. `publish` is called with every new state
  // (after clock updates and state changes), first during construction.
  TimeKeeper(TimeKeeperOptions options, ClockControl& clock, PublishFn publish_fn,
             SysTime now_local);
  ~TimeKeeper();
  TimeKeeper(const TimeKeeper&) = delete;
  TimeKeeper& operator=(const TimeKeeper&) = delete;

  void setObserver(TimeKeeperObserver* observer) { observer_ = observer; }

  // A refclock polled every 2^dpoll_log2 s (and read on fd readiness if the driver has one).
  SourceId addRefclock(SourceOptions options, int dpoll_log2,
                       std::unique_ptr<RefclockDriver> driver);
  // A source fed from outside (NTP client): addSample(), markReach(), setPoll().
  SourceId addExternalSource(SourceOptions options);

  // A sample from a driver or the NTP client, checked and taken into the pipeline.
  // Returns the reason when it was rejected.
  std::optional<RejectReason> addSample(SourceId id, const Sample& sample, SysTime now_local);
  void markReach(SourceId id, bool ok);
  void setPoll(SourceId id, int poll_log2);
  // NTP sources: online/offline as chronyc `activity` counts them (default online).
  void setOnline(SourceId id, bool online);

  // Runs everything due at `now_local` (driver polls, filter intervals, selection and clock
  // updates, slew ends, leap seconds, holdover/local transitions). Returns the local time at
  // which it wants the next call (at most one second ahead).
  SysTime step(SysTime now_local);
  // A driver's fd became readable.
  void onReadable(SourceId id, SysTime now_local);
  // (source, fd) for every driver with a descriptor to watch.
  std::vector<std::pair<SourceId, int>> pollFds() const;

  // The system clock was stepped by `d` by someone else (detected by the loop comparing
  // CLOCK_REALTIME with CLOCK_MONOTONIC).
  void onExternalStep(Nanos d, SysTime now_local);

  // chronyc `makestep` (no arguments): apply the remaining slew at once.
  void makestep(SysTime now_local);
  // chronyc `makestep THRESHOLD LIMIT`.
  void setMakestep(double threshold_s, int limit) { servo_.setMakestep(threshold_s, limit); }

  // Reports (see reports.h for units and signs).
  TrackingReport tracking(SysTime now_local) const;
  std::vector<SourceReport> sources(SysTime now_local) const;
  std::vector<SourceStatsReport> sourceStats(SysTime now_local) const;
  ActivityReport activity() const;

  const proto::ServerState& state() const { return state_; }
  // Frequency of the uncorrected clock (ppm, + = fast) and skew (ppm), for the driftfile.
  double frequencyPpm() const;
  double skewPpm() const { return servo_.skew() * 1e6; }
  bool synchronised() const { return ref_.synchronised; }
  size_t sourceCount() const { return slots_.size(); }
  const Source& source(SourceId id) const;

 private:
  struct Slot {
    std::unique_ptr<Source> source;
    std::unique_ptr<RefclockDriver> driver;  // null for external sources
    int dpoll_log2 = 0;
    bool online = true;
  };
  class Sink;

  SysTime servedAt(SysTime raw) const;
  void pollDriver(Slot& slot, SysTime now_local);
  void endFilterInterval(Slot& slot, SysTime now_local);
  std::optional<RejectReason> check(Slot& slot, Sample& s, SysTime now_local);
  std::optional<RejectReason> completePulse(Slot& slot, Sample& s, SysTime now_local);
  void updateClock(SysTime raw_now);
  void applyStep(SysTime raw_now, Nanos d);
  // Does the pending leap second when its time came (or the kernel just did it).
  void handleLeap(SysTime raw_now, bool kernel_stepped = false);
  bool refreshState(SysTime raw_now);  // true if state_ changed
  void publish();
  LeapIndicator leapVote(const std::vector<size_t>& combined, SysTime served_now) const;
  double rootDistanceAt(SysTime raw_now) const;
  void logStatistics(const Source& src, SysTime raw_now);

  TimeKeeperOptions options_;
  ClockControl& clock_;
  PublishFn publish_fn_;
  TimeKeeperObserver* observer_ = nullptr;
  Servo servo_;
  std::vector<Slot> slots_;
  proto::ServerState state_;
  SysTime start_raw_;

  struct Reference {
    bool synchronised = false;
    bool ever_synced = false;
    bool activation_allowed = false;  // local `activate`
    bool local_active = false;
    SysTime update_raw{};  // last clock update
    uint32_t refid = 0;
    std::string name;
    int stratum = 16;
    double root_delay_s = 0;
    double root_dispersion_s = 0;  // at update_raw
    LeapIndicator leap = LeapIndicator::kNone;
    double last_offset_s = 0;  // reference - served at the last update
    double mean_square_offset = 0;
    double update_interval_s = 0;
    double residual_freq = 0;
    int combined = 0;
    SelectionOutcome last_outcome = SelectionOutcome::kNoCandidates;
  } ref_;

  // Leap second in progress: served UTC time at which it happens, and its direction.
  std::optional<SysTime> leap_time_;
  LeapIndicator leap_pending_ = LeapIndicator::kNone;
  // Midnight of the last leap second done: the repeated second must not announce it again.
  SysTime last_leap_midnight_{};
  // A poll interval ended or reachability changed: selection must run even without points.
  bool reselect_ = false;
};

}  // namespace strata::refclock
