#include "refclock/time_keeper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "proto/refid.h"
#include "refclock/combining.h"

namespace strata::refclock {

namespace {

constexpr uint32_t kLocalRefId = 0x7F7F0101;  // "127.127.1.1", chrony's local reference
constexpr Nanos kOneSecond{common::kNanosPerSecond};
constexpr Nanos kMaxFuture{common::kNanosPerSecond};
constexpr Nanos kLeapWindow{2 * common::kNanosPerSecond};
// Exponential averaging weight of the RMS offset.
constexpr double kRmsWeight = 0.1;

Nanos periodOf(int log2) {
  return common::nanosFromSeconds(std::ldexp(1.0, std::clamp(log2, -10, 24)));
}

// Next time of a periodic event; re-anchors after a stall or a backward clock jump.
SysTime nextTime(SysTime previous, Nanos period, SysTime now) {
  SysTime next = previous + period;
  if (next <= now || next > now + 2 * period) next = now + period;
  return next;
}

double seconds(Nanos d) { return common::toSeconds(d); }

}  // namespace

class TimeKeeper::Sink final : public SampleSink {
 public:
  Sink(TimeKeeper& tk, SourceId id, SysTime now) : tk_(tk), id_(id), now_(now) {}
  void sample(const Sample& s) override { tk_.addSample(id_, s, now_); }
  void reject(RejectReason r) override { tk_.slots_[id_].source->countReject(r); }
  void fault(std::string_view message) override {
    Source& src = *tk_.slots_[id_].source;
    src.countQuietly(RejectReason::kDeviceError);
    if (!src.faulted) {
      spdlog::error("refclock {}: {} (until it recovers, further failures are only counted)",
                    src.options().name, message);
      src.faulted = true;
    }
  }
  void recovered() override {
    Source& src = *tk_.slots_[id_].source;
    if (src.faulted) {
      spdlog::info("refclock {}: device recovered", src.options().name);
      src.faulted = false;
    }
  }

 private:
  TimeKeeper& tk_;
  SourceId id_;
  SysTime now_;
};

TimeKeeper::TimeKeeper(TimeKeeperOptions options, ClockControl& clock, PublishFn publish_fn,
                       SysTime now_local)
    : options_(std::move(options)),
      clock_(clock),
      publish_fn_(std::move(publish_fn)),
      servo_(options_.servo,
             options_.initial_freq_ppm
                 ? -(*options_.initial_freq_ppm + clock.startFrequencyPpm()) * 1e-6
                 : clock.model().baseFreq(),
             options_.initial_freq_ppm ? options_.initial_skew_ppm * 1e-6 : 1.0),
      start_raw_(clock.rawFromLocal(now_local)) {
  if (options_.initial_freq_ppm) {
    clock_.adjust(start_raw_, servo_.freq(), Nanos(0), Nanos(0));
  }
  state_.precision = static_cast<int8_t>(options_.precision_log2);
  clock_.setStatus(ClockStatus{});
  refreshState(start_raw_);
  publish();
}

TimeKeeper::~TimeKeeper() = default;

SourceId TimeKeeper::addRefclock(SourceOptions options, int dpoll_log2,
                                 std::unique_ptr<RefclockDriver> driver) {
  SourceId id = static_cast<SourceId>(slots_.size());
  if (driver && driver->producesPulses()) options.pps = true;
  // The filter works per poll interval: it cannot hold more than one interval's samples
  // (chrony shortens it the same way).
  if (options.filter_length > 0) {
    int per_poll =
        options.poll_log2 - dpoll_log2 >= 0 ? 1 << std::min(options.poll_log2 - dpoll_log2, 20) : 1;
    if (options.filter_length > per_poll) options.filter_length = per_poll;
  }
  Slot slot;
  slot.source = std::make_unique<Source>(id, std::move(options));
  slot.driver = std::move(driver);
  slot.dpoll_log2 = dpoll_log2;
  slots_.push_back(std::move(slot));
  return id;
}

SourceId TimeKeeper::addExternalSource(SourceOptions options) {
  SourceId id = static_cast<SourceId>(slots_.size());
  Slot slot;
  slot.source = std::make_unique<Source>(id, std::move(options));
  slots_.push_back(std::move(slot));
  return id;
}

const Source& TimeKeeper::source(SourceId id) const { return *slots_.at(id).source; }

void TimeKeeper::markReach(SourceId id, bool ok) {
  slots_.at(id).source->markReach(ok);
  reselect_ = true;
}
void TimeKeeper::setPoll(SourceId id, int poll_log2) { slots_.at(id).source->setPoll(poll_log2); }
void TimeKeeper::setOnline(SourceId id, bool online) { slots_.at(id).online = online; }

SysTime TimeKeeper::servedAt(SysTime raw) const { return raw + clock_.model().offsetAt(raw); }

double TimeKeeper::frequencyPpm() const {
  return -(clock_.model().baseFreq() * 1e6 + clock_.startFrequencyPpm());
}

std::optional<RejectReason> TimeKeeper::check(Slot& slot, Sample& s, SysTime now_local) {
  Source& src = *slot.source;
  const SourceOptions& o = src.options();
  const bool refclock = slot.driver != nullptr || o.kind == SourceKind::kRefclock;
  if (s.dispersion < Nanos(0) || s.root_dispersion < Nanos(0) || s.delay < Nanos(0) ||
      s.root_delay < Nanos(0)) {
    return RejectReason::kBadDispersion;
  }
  if (s.local_time > now_local + kMaxFuture) return RejectReason::kFromFuture;
  if (refclock) {
    Nanos stale = std::max(options_.stale_min, 4 * periodOf(slot.dpoll_log2));
    if (now_local - s.local_time > stale) return RejectReason::kStale;
  }
  if (src.lastSample().valid && s.local_time <= src.lastSample().local_time) {
    return RejectReason::kOutOfOrder;
  }
  if (leap_time_) {
    SysTime served = servedAt(clock_.rawFromLocal(s.local_time));
    Nanos from_leap = served - *leap_time_;
    if (from_leap > -kLeapWindow && from_leap < kLeapWindow) return RejectReason::kLeapWindow;
  }
  if (refclock && s.leap == LeapIndicator::kUnsynchronized) return RejectReason::kUnsynchronised;
  if (s.offset > options_.max_offset || s.offset < -options_.max_offset) {
    return RejectReason::kAbsurdOffset;
  }
  s.offset += o.offset;
  if (o.tai && options_.leap_table != nullptr) {
    s.offset -= Nanos(options_.leap_table->taiOffset(s.local_time + s.offset) * kOneSecond);
  }
  if (o.pps || s.pulse) return completePulse(slot, s, now_local);
  return std::nullopt;
}

std::optional<RejectReason> TimeKeeper::completePulse(Slot& slot, Sample& s, SysTime) {
  const SourceOptions& o = slot.source->options();
  const double rate = o.rate_hz > 0 ? o.rate_hz : 1.0;
  const Nanos period = common::nanosFromSeconds(1.0 / rate);
  int64_t p = s.offset.count() % period.count();
  if (p > period.count() / 2) p -= period.count();
  if (p <= -period.count() / 2) p += period.count();

  Nanos guess{0};  // the full offset (reference - local) expected at the pulse
  bool from_lock = false;
  if (o.lock_refid != 0) {
    const Source* lock = nullptr;
    for (const auto& other : slots_) {
      if (other.source->options().refid == o.lock_refid &&
          other.source.get() != slot.source.get()) {
        lock = other.source.get();
      }
    }
    if (lock == nullptr || !lock->lastSample().valid) return RejectReason::kPulseNoLock;
    Nanos age = s.local_time - lock->lastSample().local_time;
    if (age < -o.max_lock_age * period || age > o.max_lock_age * period) {
      return RejectReason::kLockStale;
    }
    guess = lock->lastSample().offset;
    from_lock = true;
  } else if (ref_.synchronised || ref_.local_active) {
    SysTime raw = clock_.rawFromLocal(s.local_time);
    guess = clock_.model().offsetAt(raw) + (raw - s.local_time);
  } else {
    return RejectReason::kPulseNoLock;
  }
  double k =
      std::round(static_cast<double>(guess.count() - p) / static_cast<double>(period.count()));
  Nanos full = Nanos(p) + Nanos(static_cast<int64_t>(k) * period.count());
  Nanos miss = full - guess;
  if (from_lock && (miss > period * 2 / 5 || miss < -period * 2 / 5)) {
    return RejectReason::kLockMismatch;
  }
  if (o.width_s > 0) {
    double p_s = common::toSeconds(period);
    Nanos limit = common::nanosFromSeconds(std::min(o.width_s, p_s - o.width_s) / 2);
    if (miss > limit || miss < -limit) return RejectReason::kWidth;
  }
  s.offset = full;
  s.pulse = false;
  return std::nullopt;
}

std::optional<RejectReason> TimeKeeper::addSample(SourceId id, const Sample& sample,
                                                  SysTime now_local) {
  Slot& slot = slots_.at(id);
  Source& src = *slot.source;
  const SourceOptions& o = src.options();
  Sample s = sample;
  if (auto reason = check(slot, s, now_local)) {
    src.countReject(*reason);
    return reason;
  }
  const bool refclock = slot.driver != nullptr || o.kind == SourceKind::kRefclock;
  SysTime raw = clock_.rawFromLocal(s.local_time);
  Measurement m;
  m.time = raw;
  m.offset = s.offset + (s.local_time - raw);
  m.residual = m.offset - clock_.model().offsetAt(raw);
  Nanos precision = o.precision > Nanos(0)
                        ? o.precision
                        : common::nanosFromSeconds(std::ldexp(1.0, options_.precision_log2));
  m.dispersion = s.dispersion + (refclock ? precision : Nanos(0));
  m.delay = s.delay + (refclock ? o.delay : Nanos(0));
  m.root_delay = s.root_delay;
  m.root_dispersion = s.root_dispersion;
  m.leap = s.leap;
  m.stratum = refclock ? static_cast<uint8_t>(std::clamp(o.stratum, 0, 15)) : s.stratum;
  m.reference_id = s.reference_id;
  if (!src.addMeasurement(m)) return RejectReason::kOutOfOrder;
  src.setLastSample(s.local_time, s.offset);
  if (observer_ && refclock) {
    RefclockLogEntry e;
    e.time = servedAt(raw);
    e.name = o.name;
    e.poll_sequence = src.poll_sequence;
    e.leap = s.leap;
    e.pulse = o.pps || sample.pulse;
    e.raw_offset_s = seconds(sample.offset);
    e.cooked_offset_s = seconds(m.residual);
    e.dispersion_s = seconds(m.dispersion);
    observer_->onRefclockSample(e);
  }
  return std::nullopt;
}

void TimeKeeper::pollDriver(Slot& slot, SysTime now_local) {
  Sink sink(*this, slot.source->id(), now_local);
  slot.driver->poll(now_local, sink);
  ++slot.source->poll_sequence;
}

void TimeKeeper::onReadable(SourceId id, SysTime now_local) {
  Slot& slot = slots_.at(id);
  if (!slot.driver) return;
  Sink sink(*this, id, now_local);
  slot.driver->onReadable(now_local, sink);
}

std::vector<std::pair<SourceId, int>> TimeKeeper::pollFds() const {
  std::vector<std::pair<SourceId, int>> fds;
  for (const auto& slot : slots_) {
    if (slot.driver && slot.driver->fd() >= 0)
      fds.emplace_back(slot.source->id(), slot.driver->fd());
  }
  return fds;
}

void TimeKeeper::endFilterInterval(Slot& slot, SysTime now_local) {
  Source& src = *slot.source;
  src.poll_sequence = 0;
  std::optional<Measurement> m = src.pollFilter();
  if (!m) return;
  SysTime raw_now = clock_.rawFromLocal(now_local);
  if (observer_) {
    RefclockLogEntry e;
    e.time = servedAt(m->time);
    e.name = src.options().name;
    e.poll_sequence = -1;
    e.leap = m->leap;
    e.filtered = true;
    e.cooked_offset_s = seconds(m->residual);
    e.dispersion_s = seconds(m->dispersion);
    observer_->onRefclockSample(e);
  }
  logStatistics(src, raw_now);
}

void TimeKeeper::logStatistics(const Source& src, SysTime raw_now) {
  if (!observer_ || !src.stats().estimate()) return;
  const StatsEstimate& est = *src.stats().estimate();
  StatisticsLogEntry e;
  e.time = servedAt(raw_now);
  e.name = src.options().name;
  e.std_dev_s = est.std_dev_s;
  e.est_offset_s = -(est.offset_s - seconds(clock_.model().offsetAt(est.ref_time)));
  e.offset_sd_s = est.offset_sd_s;
  e.diff_freq = -(est.freq - clock_.model().baseFreq());
  e.est_skew = est.skew;
  e.stress = est.stress;
  e.samples = est.samples;
  e.new_start = est.discarded;
  e.runs = est.runs;
  observer_->onStatistics(e);
}

SysTime TimeKeeper::step(SysTime now_local) {
  SysTime raw_now = clock_.rawFromLocal(now_local);
  bool changed = clock_.advance(raw_now);
  handleLeap(raw_now);

  SysTime next = now_local + kOneSecond;
  for (auto& slot : slots_) {
    Source& src = *slot.source;
    if (slot.driver) {
      Nanos dperiod = periodOf(slot.dpoll_log2);
      if (src.next_driver_poll == SysTime{}) src.next_driver_poll = now_local;
      if (now_local >= src.next_driver_poll) {
        pollDriver(slot, now_local);
        src.next_driver_poll = nextTime(src.next_driver_poll, dperiod, now_local);
      }
      next = std::min(next, src.next_driver_poll);
    }
    if (src.hasFilter()) {
      Nanos period = periodOf(src.options().poll_log2);
      if (src.next_filter_poll == SysTime{}) src.next_filter_poll = now_local + period;
      if (now_local >= src.next_filter_poll) {
        endFilterInterval(slot, now_local);
        reselect_ = true;
        src.next_filter_poll = nextTime(src.next_filter_poll, period, now_local);
      }
      next = std::min(next, src.next_filter_poll);
    }
  }

  raw_now = clock_.rawFromLocal(now_local);
  bool any_new = false;
  for (const auto& slot : slots_) any_new = any_new || slot.source->hasNewPoint();
  if (any_new || reselect_) {
    reselect_ = false;
    updateClock(raw_now);
    changed = true;
  }
  if (refreshState(raw_now) || changed) publish();

  if (clock_.model().slewing()) {
    next = std::min(next, clock_.localFromRaw(clock_.model().slewEnd()));
  }
  return std::max(next, now_local);
}

void TimeKeeper::updateClock(SysTime raw_now) {
  const CorrectionModel& model = clock_.model();
  std::vector<Candidate> candidates;
  candidates.reserve(slots_.size());
  for (const auto& slot : slots_) {
    candidates.push_back(slot.source->candidate(raw_now, model, options_.max_clock_error));
  }
  SelectionResult res;
  if (options_.local && options_.local->orphan) {
    // Orphan mode: sources at or beyond the local stratum only if nothing else is selectable.
    std::vector<Candidate> first = candidates;
    for (auto& c : first) {
      if (c.stratum + 1 >= options_.local->stratum) c.noselect = true;
    }
    res = selectSources(first, options_.selection);
    if (res.outcome != SelectionOutcome::kSelected) {
      res = selectSources(candidates, options_.selection);
    }
  } else {
    res = selectSources(candidates, options_.selection);
  }

  bool combined_has_new = false;
  for (size_t i : res.combined)
    combined_has_new = combined_has_new || slots_[i].source->hasNewPoint();
  for (size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].source->setStatus(res.status[i]);
    slots_[i].source->clearNewPoint();
  }
  if (res.outcome != ref_.last_outcome) {
    if (res.outcome == SelectionOutcome::kSelected) {
      spdlog::info("selected source {}", slots_[*res.selected].source->options().name);
    } else {
      spdlog::warn("cannot synchronise: {}", selectionOutcomeName(res.outcome));
    }
    ref_.last_outcome = res.outcome;
  }
  if (res.outcome != SelectionOutcome::kSelected || !combined_has_new) return;

  std::vector<CombineInput> inputs;
  for (size_t i : res.combined) {
    const Source& src = *slots_[i].source;
    const StatsEstimate& est = *src.stats().estimate();
    SourceBounds b = src.bounds(raw_now, model, options_.max_clock_error);
    CombineInput in;
    in.offset_s = b.offset_s;
    in.offset_sd_s = est.offsetSdAt(raw_now);
    in.root_distance_s = b.root_distance_s;
    in.freq = est.freq;
    in.skew = est.skew;
    in.freq_valid = est.freq_valid;
    inputs.push_back(in);
  }
  Combined comb = combineSources(inputs);

  ServoInput in;
  in.offset_s = comb.offset_s;
  in.offset_sd_s = comb.offset_sd_s;
  in.freq = comb.freq;
  in.skew = comb.skew;
  in.freq_valid = comb.freq_valid;
  in.interval_s = ref_.ever_synced ? seconds(raw_now - ref_.update_raw) : 0.0;
  ServoDecision d = servo_.update(in);
  if (d.step) {
    applyStep(raw_now, common::nanosFromSeconds(d.step_s));
    spdlog::info("stepped the served time by {:+.9f} s", d.step_s);
  }
  clock_.adjust(raw_now, d.freq, common::nanosFromSeconds(d.slew_s),
                common::nanosFromSeconds(d.slew_duration_s));

  const Source& sel = *slots_[*res.selected].source;
  SourceBounds sb = sel.bounds(raw_now, clock_.model(), options_.max_clock_error);
  ref_.synchronised = true;
  ref_.ever_synced = true;
  ref_.update_interval_s = in.interval_s;
  ref_.update_raw = raw_now;
  ref_.refid = sel.options().refid;
  ref_.name = sel.options().name;
  ref_.stratum = std::min<int>(15, sel.stats().newest()->stratum + 1);
  ref_.root_delay_s = sb.root_delay_s;
  // The bound holds for the served time, which still has the slew ahead of it.
  ref_.root_dispersion_s = sb.root_dispersion_s + comb.offset_sd_s + std::fabs(d.slew_s);
  ref_.leap = leapVote(res.combined, servedAt(raw_now));
  ref_.last_offset_s = comb.offset_s;
  ref_.mean_square_offset =
      ref_.mean_square_offset == 0
          ? comb.offset_s * comb.offset_s
          : ref_.mean_square_offset +
                kRmsWeight * (comb.offset_s * comb.offset_s - ref_.mean_square_offset);
  ref_.residual_freq = d.residual_freq;
  ref_.combined = comb.count;
  if (options_.local && options_.local->activate_s > 0 &&
      rootDistanceAt(raw_now) < options_.local->activate_s) {
    ref_.activation_allowed = true;
  }
  if (ref_.local_active) {
    spdlog::info("local reference deactivated: synchronised to {}", ref_.name);
    ref_.local_active = false;
  }

  double distance = rootDistanceAt(raw_now);
  clock_.setStatus(ClockStatus{ref_.leap, true, distance, comb.offset_sd_s});
  if (observer_) {
    for (size_t i : res.combined) logStatistics(*slots_[i].source, raw_now);
    TrackingLogEntry t;
    t.time = servedAt(raw_now);
    t.reference_name = ref_.name;
    t.stratum = ref_.stratum;
    t.freq_ppm = frequencyPpm();
    t.skew_ppm = skewPpm();
    t.offset_s = -comb.offset_s;
    t.leap = ref_.leap;
    t.combined = comb.count;
    t.offset_sd_s = comb.offset_sd_s;
    t.remaining_correction_s = seconds(clock_.model().remainingSlew(raw_now));
    t.root_delay_s = ref_.root_delay_s;
    t.root_dispersion_s = ref_.root_dispersion_s;
    t.max_error_s = distance;
    observer_->onTracking(t);
    observer_->onFrequency(servedAt(raw_now), frequencyPpm(), skewPpm());
  }
}

void TimeKeeper::applyStep(SysTime raw_now, Nanos d) {
  clock_.step(raw_now, d);
  for (auto& slot : slots_) slot.source->onServedStep(d);
}

LeapIndicator TimeKeeper::leapVote(const std::vector<size_t>& combined, SysTime served_now) const {
  if (nextMidnight(served_now) == last_leap_midnight_) return LeapIndicator::kNone;
  if (options_.leap_table != nullptr) {
    LeapIndicator from_table = options_.leap_table->leapAtEndOfDay(served_now);
    if (from_table != LeapIndicator::kNone) return from_table;
  }
  if (!isLeapAnnouncementDay(served_now)) return LeapIndicator::kNone;
  int insert = 0, remove = 0;
  for (size_t i : combined) {
    const Measurement* p = slots_[i].source->stats().newest();
    if (p == nullptr) continue;
    if (p->leap == LeapIndicator::kInsertSecond) ++insert;
    if (p->leap == LeapIndicator::kDeleteSecond) ++remove;
  }
  const int n = static_cast<int>(combined.size());
  if (2 * insert > n) return LeapIndicator::kInsertSecond;
  if (2 * remove > n) return LeapIndicator::kDeleteSecond;
  return LeapIndicator::kNone;
}

void TimeKeeper::handleLeap(SysTime raw_now, bool kernel_stepped) {
  SysTime served_now = servedAt(raw_now);
  LeapIndicator announced = state_.leap;
  const bool announcing =
      announced == LeapIndicator::kInsertSecond || announced == LeapIndicator::kDeleteSecond;
  if (!leap_time_) {
    if (!announcing) return;
    leap_time_ = nextMidnight(served_now);
    leap_pending_ = announced;
    return;
  }
  if (served_now < *leap_time_ && !kernel_stepped) {
    if (!announcing && served_now < *leap_time_ - kLeapWindow) {
      leap_time_.reset();  // the announcement was withdrawn in time
      leap_pending_ = LeapIndicator::kNone;
    }
    return;
  }
  const Nanos d = leap_pending_ == LeapIndicator::kInsertSecond ? -kOneSecond : kOneSecond;
  switch (options_.leap_mode) {
    case LeapSecMode::kSystem:
      if (clock_.controlsKernel()) {
        clock_.noteExternalStep(raw_now, d);  // the kernel did it at midnight (STA_INS/DEL)
      } else {
        applyStep(raw_now, d);
      }
      break;
    case LeapSecMode::kStep:
      applyStep(raw_now, d);
      break;
    case LeapSecMode::kSlew: {
      double rate = options_.servo.max_slew_rate > 0 ? options_.servo.max_slew_rate : 0.083;
      clock_.adjust(raw_now, servo_.freq(), d, common::nanosFromSeconds(1.0 / rate));
      break;
    }
    case LeapSecMode::kIgnore:
      break;
  }
  for (auto& slot : slots_) {
    if (options_.leap_mode == LeapSecMode::kIgnore) {
      slot.source->clearHistory();
    } else {
      slot.source->onLeap(d);
    }
  }
  spdlog::warn("leap second {} at {} (mode {})",
               leap_pending_ == LeapIndicator::kInsertSecond ? "inserted" : "deleted",
               common::nanosSinceEpoch(*leap_time_) / common::kNanosPerSecond,
               static_cast<int>(options_.leap_mode));
  last_leap_midnight_ = *leap_time_;
  leap_time_.reset();
  leap_pending_ = LeapIndicator::kNone;
  ref_.leap = LeapIndicator::kNone;
}

double TimeKeeper::rootDistanceAt(SysTime raw_now) const {
  double elapsed = std::max(0.0, seconds(raw_now - ref_.update_raw));
  double rate = servo_.skew() + options_.max_clock_error;
  return 0.5 * ref_.root_delay_s + ref_.root_dispersion_s + rate * elapsed;
}

bool TimeKeeper::refreshState(SysTime raw_now) {
  if (ref_.synchronised) {
    double distance = rootDistanceAt(raw_now);
    if (distance > options_.selection.max_distance_s) {
      ref_.synchronised = false;
      spdlog::warn("not synchronised any more: root distance {:.6f} s exceeds maxdistance",
                   distance);
      clock_.setStatus(ClockStatus{LeapIndicator::kUnsynchronized, false, distance, distance});
    }
  }
  if (options_.local) {
    const LocalOptions& local = *options_.local;
    bool want = !ref_.synchronised || rootDistanceAt(raw_now) >= local.distance_s;
    if (local.activate_s > 0 && !ref_.activation_allowed) want = false;
    if (local.waitsynced_s > 0 && !ref_.ever_synced &&
        seconds(raw_now - start_raw_) < local.waitsynced_s) {
      want = false;
    }
    if (want != ref_.local_active) {
      if (want) {
        spdlog::info("local reference activated (stratum {})", local.stratum);
      } else {
        spdlog::info("local reference deactivated");
      }
      ref_.local_active = want;
    }
  }

  proto::ServerState s;
  s.precision = static_cast<int8_t>(options_.precision_log2);
  s.correction = clock_.servedCorrection();
  const double rate = servo_.skew() + options_.max_clock_error;
  SysTime served_now = servedAt(raw_now);
  if (ref_.local_active) {
    s.leap = options_.leap_table && nextMidnight(served_now) != last_leap_midnight_
                 ? options_.leap_table->leapAtEndOfDay(served_now)
                 : LeapIndicator::kNone;
    s.stratum = static_cast<uint8_t>(std::clamp(options_.local->stratum, 1, 15));
    s.reference_id = kLocalRefId;
    // chrony's local reference: a fresh reference time, no accumulated dispersion.
    s.reference_time =
        common::NtpTimestamp::fromSysTime(std::chrono::floor<std::chrono::seconds>(served_now));
    s.root_delay = common::NtpShort::fromNanos(Nanos(0));
    s.root_dispersion = common::NtpShort::fromNanos(Nanos(0));
    s.dispersion_rate = options_.max_clock_error;
  } else if (ref_.synchronised) {
    s.leap = ref_.leap;
    s.stratum = static_cast<uint8_t>(ref_.stratum);
    s.reference_id = ref_.refid;
    s.reference_time = common::NtpTimestamp::fromSysTime(servedAt(ref_.update_raw));
    s.root_delay = common::NtpShort::fromNanos(common::nanosFromSeconds(ref_.root_delay_s));
    s.root_dispersion =
        common::NtpShort::fromNanos(common::nanosFromSeconds(ref_.root_dispersion_s));
    s.dispersion_rate = rate;
  } else {
    s.leap = LeapIndicator::kUnsynchronized;
    s.stratum = 16;
    s.reference_id = 0;
    if (ref_.ever_synced) {
      s.reference_time = common::NtpTimestamp::fromSysTime(servedAt(ref_.update_raw));
      s.root_delay = common::NtpShort::fromNanos(common::nanosFromSeconds(ref_.root_delay_s));
      s.root_dispersion =
          common::NtpShort::fromNanos(common::nanosFromSeconds(ref_.root_dispersion_s));
    }
    s.dispersion_rate = rate;
  }
  const bool differs =
      s.leap != state_.leap || s.stratum != state_.stratum ||
      s.reference_id != state_.reference_id || s.reference_time != state_.reference_time ||
      s.root_delay != state_.root_delay || s.root_dispersion != state_.root_dispersion ||
      s.dispersion_rate != state_.dispersion_rate ||
      s.correction.epoch != state_.correction.epoch ||
      s.correction.offset != state_.correction.offset ||
      s.correction.freq != state_.correction.freq;
  state_ = s;
  return differs;
}

void TimeKeeper::publish() {
  if (publish_fn_) publish_fn_(state_);
}

void TimeKeeper::onExternalStep(Nanos d, SysTime now_local) {
  SysTime raw_now = clock_.rawFromLocal(now_local);
  // Under kernel control with leapsecmode system, the kernel's own leap step shows up here.
  if (leap_time_ && clock_.controlsKernel() && options_.leap_mode == LeapSecMode::kSystem &&
      (d == kOneSecond || d == -kOneSecond)) {
    Nanos from_leap = servedAt(raw_now) - *leap_time_;
    if (from_leap > -5 * kOneSecond && from_leap < 5 * kOneSecond) {
      handleLeap(raw_now, /*kernel_stepped=*/true);
      return;
    }
  }
  Nanos raw_jump = clock_.noteExternalStep(raw_now, d);
  spdlog::warn("the system clock was stepped by {:+.9f} s by someone else", seconds(d));
  for (auto& slot : slots_) {
    Source& src = *slot.source;
    if (raw_jump != Nanos(0)) src.onRawJump(raw_jump);
    // Schedules are on the local clock, which jumped.
    if (src.next_driver_poll != SysTime{}) src.next_driver_poll += d;
    if (src.next_filter_poll != SysTime{}) src.next_filter_poll += d;
  }
  ref_.update_raw += raw_jump;
  start_raw_ += raw_jump;
  if (refreshState(clock_.rawFromLocal(now_local))) publish();
}

void TimeKeeper::makestep(SysTime now_local) {
  SysTime raw_now = clock_.rawFromLocal(now_local);
  Nanos remaining = clock_.model().remainingSlew(raw_now);
  applyStep(raw_now, remaining);
  spdlog::info("makestep: stepped the served time by {:+.9f} s", seconds(remaining));
  if (refreshState(raw_now)) publish();
}

TrackingReport TimeKeeper::tracking(SysTime now_local) const {
  TrackingReport r;
  SysTime raw_now = clock_.rawFromLocal(now_local);
  const CorrectionModel& model = clock_.model();
  r.reference_id = state_.reference_id;
  r.synchronised = ref_.synchronised;
  r.local_active = ref_.local_active;
  if (ref_.synchronised && !ref_.local_active) r.reference_name = ref_.name;
  r.stratum = state_.stratum >= 16 ? 0 : state_.stratum;
  if (ref_.local_active) {
    r.ref_time = state_.reference_time.toSysTime(now_local);  // refreshed every second
  } else if (ref_.ever_synced) {
    r.ref_time = servedAt(ref_.update_raw);
  }
  Nanos remaining = model.remainingSlew(raw_now);
  r.system_time_s = clock_.controlsKernel()
                        ? seconds(remaining)
                        : seconds(model.offsetAt(raw_now) + remaining + (raw_now - now_local));
  r.last_offset_s = -ref_.last_offset_s;
  r.rms_offset_s = std::sqrt(ref_.mean_square_offset);
  r.frequency_ppm = frequencyPpm();
  r.residual_freq_ppm = -ref_.residual_freq * 1e6;
  r.skew_ppm = skewPpm();
  r.root_delay_s = seconds(state_.root_delay.toNanos());
  if (ref_.synchronised) {
    r.root_dispersion_s = rootDistanceAt(raw_now) - 0.5 * ref_.root_delay_s;
  } else {
    r.root_dispersion_s = seconds(state_.root_dispersion.toNanos());
  }
  r.update_interval_s = ref_.update_interval_s;
  r.leap = state_.leap;
  return r;
}

std::vector<SourceReport> TimeKeeper::sources(SysTime now_local) const {
  std::vector<SourceReport> out;
  SysTime raw_now = clock_.rawFromLocal(now_local);
  const CorrectionModel& model = clock_.model();
  for (const auto& slot : slots_) {
    const Source& src = *slot.source;
    SourceReport r;
    r.name = src.options().name;
    r.refid = src.options().refid;
    r.kind = src.options().kind;
    r.status = src.status();
    r.state_char = sourcesStateChar(r.status);
    r.poll_log2 = src.options().poll_log2;
    r.reach = src.reach();
    r.samples_accepted = src.accepted();
    r.rejected = src.rejects();
    if (const Measurement* p = src.stats().newest()) {
      r.stratum = p->stratum;
      r.last_rx_ago_s = std::max(0.0, seconds(raw_now - p->time));
      r.last_offset_s = -(seconds(p->offset) - seconds(model.offsetAt(p->time)));
      r.last_measured_s = -seconds(p->residual);
      r.last_error_s =
          seconds(p->root_delay + p->delay) / 2 + seconds(p->root_dispersion + p->dispersion);
    } else {
      r.stratum = src.options().kind == SourceKind::kRefclock ? src.options().stratum : 0;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<SourceStatsReport> TimeKeeper::sourceStats(SysTime now_local) const {
  std::vector<SourceStatsReport> out;
  SysTime raw_now = clock_.rawFromLocal(now_local);
  const CorrectionModel& model = clock_.model();
  for (const auto& slot : slots_) {
    const Source& src = *slot.source;
    SourceStatsReport r;
    r.name = src.options().name;
    r.refid = src.options().refid;
    if (const auto& e = src.stats().estimate()) {
      r.samples = e->samples;
      r.runs = e->runs;
      r.span_s = e->span_s;
      if (e->freq_valid) {
        r.frequency_ppm = -(e->freq - model.baseFreq()) * 1e6;
        r.freq_skew_ppm = e->skew * 1e6;
      }
      r.offset_s = -(e->offsetAt(raw_now) - seconds(model.offsetAt(raw_now)));
      r.std_dev_s = e->std_dev_s;
    }
    out.push_back(std::move(r));
  }
  return out;
}

ActivityReport TimeKeeper::activity() const {
  ActivityReport r;
  for (const auto& slot : slots_) {
    if (slot.source->options().kind == SourceKind::kRefclock) continue;  // chrony counts NTP only
    if (slot.online) {
      ++r.online;
    } else {
      ++r.offline;
    }
  }
  return r;
}

}  // namespace strata::refclock
