#include "refclock/ntp/source_core.h"

#include <algorithm>
#include <cmath>

#include "proto/ntp_exchange.h"
#include "proto/refid.h"

namespace strata::refclock::ntp {

namespace {

constexpr Nanos kMaxNegativeDelay{1'000'000};  // 1 ms: beyond any timestamping error
constexpr double kMaxRootDistanceS = 16.0;     // RFC 5905 MAXDISP
constexpr int kDevRatioMinSamples = 4;

double log2Seconds(int log2) { return std::ldexp(1.0, std::clamp(log2, -32, 8)); }

}  // namespace

NtpSourceCore::NtpSourceCore(NtpSourceOptions options) : options_(options), poll_(options.poll) {
  if (options_.version < 1 || options_.version > 4) options_.version = 4;
  if (options_.version != 4) options_.xleave = false;
  if (options_.filter_samples > 0) {
    FilterOptions f;
    f.length = options_.filter_samples;
    f.min_samples = options_.filter_samples;
    f.by_delay = true;
    filter_.emplace(f);
  }
}

void NtpSourceCore::start(Nanos now_mono, double random01) {
  poll_.start(now_mono, random01);
  current_ = SentRequest{};
  previous_ = SentRequest{};
  basis_ = ExchangeBasis{};
  last_transmit_.reset();
  unanswered_run_ = 0;
  current_valid_ = false;
  stopped_ = false;
  filter_count_ = 0;
  if (filter_) filter_->reset();
}

RequestPlan NtpSourceCore::makeRequest(Nanos now_mono, uint64_t random_a, uint64_t random_b,
                                       double random01) {
  RequestPlan plan;
  if (current_.seq != 0 && !current_valid_) {
    plan.previous_unanswered = true;
    ++unanswered_run_;
    ++totals_.unanswered;
  }
  poll_.onRequestSent(now_mono, random01);
  current_valid_ = false;
  previous_ = current_;
  current_ = makeRequestFields(next_seq_++, options_.xleave, basis_, random_a, random_b);
  plan.seq = current_.seq;
  plan.interleaved = current_.interleaved;

  // Data minimisation: nothing about our clock or state but the poll interval.
  proto::NtpHeader h;
  h.leap = proto::LeapIndicator::kNone;
  h.version = static_cast<uint8_t>(options_.version);
  h.mode = proto::NtpMode::kClient;
  h.poll = static_cast<int8_t>(poll_.poll());
  h.origin_time = current_.origin;
  h.receive_time = current_.receive;
  h.transmit_time = current_.transmit;
  proto::encodeHeader(h, plan.packet);
  return plan;
}

void NtpSourceCore::onSent(uint64_t seq, SysTime daemon_tx) {
  if (seq != current_.seq) return;
  current_.daemon_tx = daemon_tx;
  current_.sent = true;
  ++totals_.tx;
}

void NtpSourceCore::onSendFailed(uint64_t seq) {
  if (seq != current_.seq) return;
  current_.sent = false;
  ++totals_.tx_failed;
}

void NtpSourceCore::onTxTimestamp(uint64_t seq, SysTime tx, StampSource source) {
  bool used = false;
  auto attach = [&](SentRequest& r) {
    if (r.seq == seq && r.sent && !r.precise_tx) {
      r.precise_tx = tx;
      r.precise_source = source;
      used = true;
    }
  };
  attach(current_);
  attach(previous_);
  if (basis_.valid && basis_.seq == seq && basis_.tx_source == StampSource::kDaemon) {
    basis_.our_tx = tx;
    basis_.tx_source = source;
    used = true;
  }
  if (current_.interleaved && current_.basis.seq == seq &&
      current_.basis.tx_source == StampSource::kDaemon) {
    current_.basis.our_tx = tx;
    current_.basis.tx_source = source;
    used = true;
  }
  if (used) {
    if (source == StampSource::kKernel) ++totals_.kernel_tx;
    if (source == StampSource::kHardware) ++totals_.hw_tx;
  }
}

ResponseOutcome NtpSourceCore::onResponse(std::span<const uint8_t> datagram, SysTime rx,
                                          StampSource rx_source, const SourceView& view) {
  ++totals_.rx;
  if (rx_source == StampSource::kKernel) ++totals_.kernel_rx;
  if (rx_source == StampSource::kHardware) ++totals_.hw_rx;
  ResponseOutcome out;
  proto::ParsedPacket packet;
  const proto::ParseError error = proto::parsePacket(datagram, packet);
  if (error == proto::ParseError::kBadVersion) {
    out.verdict = Verdict::kBadVersion;
  } else if (error != proto::ParseError::kNone) {
    out.verdict = Verdict::kMalformed;
  } else if (packet.header.mode != proto::NtpMode::kServer) {
    out.verdict = Verdict::kNotServerMode;
  } else if (packet.header.version < 1 || packet.header.version > 4) {
    out.verdict = Verdict::kBadVersion;
  } else {
    out = judge(packet.header, rx, rx_source, view);
  }
  ++verdicts_[static_cast<size_t>(out.verdict)];
  return out;
}

ResponseOutcome NtpSourceCore::judge(const proto::NtpHeader& h, SysTime rx, StampSource rx_source,
                                     const SourceView& view) {
  ResponseOutcome out;
  if (!current_.sent && !previous_.sent) {
    out.verdict = Verdict::kUnsolicited;
    return out;
  }
  TestResults t;
  OriginMatch match = current_.sent ? matchOrigin(h, current_) : OriginMatch::kNone;
  // Test 1: the same transmit timestamp as the last valid answer. An interleaved answer's
  // transmit field is the precise T3 of the previous exchange, which may equal that answer's
  // own (basic) T3; replays of it are caught by the per-request `answered` check instead.
  t.duplicate_ok =
      match == OriginMatch::kInterleaved || !(last_transmit_ && h.transmit_time == *last_transmit_);
  t.origin_ok = match != OriginMatch::kNone;
  t.timestamps_ok = !h.receive_time.isZero() && !h.transmit_time.isZero();
  t.sync_ok = h.leap != proto::LeapIndicator::kUnsynchronized && h.stratum != 0 && h.stratum < 16;
  double root_distance = common::toSeconds(h.root_delay.toNanos()) / 2 +
                         common::toSeconds(h.root_dispersion.toNanos());
  // The reference time cannot be later than the server's latest timestamp in the packet (in
  // an interleaved answer the transmit field is the older one: compare with the receive).
  const NtpTimestamp latest = match == OriginMatch::kInterleaved ? h.receive_time : h.transmit_time;
  bool ref_after_tx = !h.reference_time.isZero() && !latest.isZero() &&
                      common::ntpDifference(h.reference_time, latest) > Nanos(0);
  t.header_ok = root_distance < kMaxRootDistanceS && !ref_after_tx;
  t.loop_ok = h.stratum <= 1 || local_refid_ == 0 || h.reference_id != local_refid_;

  if (!t.duplicate_ok) {
    out.verdict = Verdict::kDuplicate;
    return out;
  }
  if (!t.origin_ok) {
    const bool late = previous_.sent && matchOrigin(h, previous_) != OriginMatch::kNone;
    out.verdict = late ? Verdict::kLate : Verdict::kBogus;
    return out;
  }
  if (current_.answered) {
    // A second packet for an answered request: a duplicate or a replay.
    out.verdict = Verdict::kDuplicate;
    return out;
  }
  current_.answered = true;

  last_ = LastResponse{};
  last_.valid = true;
  last_.header = h;
  last_.rx_time = rx;
  last_.rx_source = rx_source;

  auto finish = [&](Verdict v) {
    last_.verdict = v;
    last_.tests = t;
    out.verdict = v;
    return out;
  };

  if (h.stratum == 0) {
    // Kiss-o'-Death (it matched our request, so it is not a spoof from off-path). Not a
    // valid answer: the reach register will take a 0.
    t.sync_ok = false;
    switch (h.reference_id) {
      case proto::kiss::kRate:
        out.poll_changed = poll_.onKodRate(h.poll);
        return finish(Verdict::kKodRate);
      case proto::kiss::kDeny:
      case proto::kiss::kRstr:
        stopped_ = true;
        out.stopped = true;
        poll_.onNoGoodSample();
        return finish(h.reference_id == proto::kiss::kDeny ? Verdict::kKodDeny : Verdict::kKodRstr);
      default:
        poll_.onNoGoodSample();
        return finish(Verdict::kKodOther);
    }
  }
  if (!t.timestamps_ok) {
    poll_.onNoGoodSample();
    return finish(Verdict::kZeroTimestamps);
  }
  ++totals_.valid_rx;
  last_transmit_ = h.transmit_time;
  if (!t.sync_ok || !t.header_ok) {
    // Valid but useless: no reach bit (an unsynchronised server is not a time source).
    poll_.onNoGoodSample();
    return finish(t.sync_ok ? Verdict::kBadHeader : Verdict::kUnsynchronised);
  }
  // A valid answer from a synchronised server.
  out.reach = true;
  current_valid_ = true;
  unanswered_run_ = 0;

  std::optional<ExchangeTimes> ex = measuredExchange(match, h, current_, rx, rx_source);
  const uint64_t measured_seq =
      match == OriginMatch::kInterleaved ? current_.basis.seq : current_.seq;
  basis_ = nextBasis(h, current_, rx, rx_source);
  if (!ex) {
    poll_.onNoGoodSample();
    return finish(Verdict::kBadInterleaved);
  }
  last_.interleaved = ex->interleaved;
  last_.tx_source = ex->tx_source;
  last_.rx_source = ex->rx_source;
  proto::ExchangeResult r = proto::computeExchange(ex->t1, ex->t2, ex->t3, ex->t4);
  last_.response_time_s = common::toSeconds(common::ntpDifference(ex->t3, ex->t2));
  if (r.delay < -kMaxNegativeDelay) {
    poll_.onNoGoodSample();
    return finish(Verdict::kBadDelay);
  }
  const Nanos delay = std::max(r.delay, Nanos(0));
  const double delay_s = common::toSeconds(delay);
  const double dispersion_s = log2Seconds(h.precision) +
                              log2Seconds(options_.local_precision_log2) +
                              options_.max_clock_error * delay_s;
  const double offset_s = common::toSeconds(r.offset);
  last_.measured = true;
  last_.offset_s = offset_s;
  last_.delay_s = delay_s;
  last_.dispersion_s = dispersion_s;

  // Tests A-C (delay) and D (loop).
  t.max_delay_ok = delay <= options_.max_delay;
  const double min_delay_s = common::toSeconds(view.min_delay);
  t.ratio_ok = !(options_.max_delay_ratio > 0 && min_delay_s > 0 &&
                 delay_s / min_delay_s > options_.max_delay_ratio);
  const double offset_error_s =
      view.samples > 0 ? std::fabs(offset_s - view.served_minus_local_s - view.predicted_residual_s)
                       : 0.0;
  t.dev_ratio_ok = true;
  if (options_.max_delay_dev_ratio > 0 && view.samples >= kDevRatioMinSamples && min_delay_s > 0) {
    double allowed = view.std_dev_s * options_.max_delay_dev_ratio +
                     view.elapsed_s * (view.skew + options_.max_clock_error);
    double increase = (delay_s - min_delay_s) / 2;
    // A bigger delay is fine if the offset moved by more than it could explain (the path
    // changed, the source stepped): the statistics must be allowed to follow.
    if (increase > allowed && offset_error_s - increase <= allowed) t.dev_ratio_ok = false;
  }
  if (!t.max_delay_ok || !t.ratio_ok || !t.dev_ratio_ok || !t.loop_ok) {
    poll_.onNoGoodSample();
    return finish(!t.max_delay_ok   ? Verdict::kMaxDelay
                  : !t.ratio_ok     ? Verdict::kMaxDelayRatio
                  : !t.dev_ratio_ok ? Verdict::kMaxDelayDevRatio
                                    : Verdict::kSyncLoop);
  }

  if (measured_seq == last_measured_seq_) {
    // The first interleaved answer completes the exchange a basic answer already measured.
    poll_.onNoGoodSample(/*measured=*/true);
    ++totals_.good_rx;
    return finish(Verdict::kGood);
  }
  last_measured_seq_ = measured_seq;

  Sample s;
  s.local_time = ex->t1 + (ex->t4 - ex->t1) / 2;
  s.offset = r.offset;
  s.delay = delay;
  s.dispersion = common::nanosFromSeconds(dispersion_s);
  s.root_delay = h.root_delay.toNanos();
  s.root_dispersion = h.root_dispersion.toNanos();
  s.leap = h.leap;
  s.stratum = static_cast<uint8_t>(std::max<int>(h.stratum, options_.min_stratum));
  s.reference_id = h.reference_id;
  last_offset_error_s_ = offset_error_s;
  last_distance_s_ = delay_s / 2 + dispersion_s;
  ++totals_.good_rx;

  if (filter_) {
    std::optional<Sample> filtered = filterSample(s);
    if (!filtered) {
      poll_.onNoGoodSample(/*measured=*/true);
      return finish(Verdict::kFiltered);
    }
    s = *filtered;
  }
  out.sample = s;
  return finish(Verdict::kGood);
}

std::optional<Sample> NtpSourceCore::filterSample(const Sample& s) {
  Measurement m;
  m.time = s.local_time;
  m.offset = s.offset;
  m.residual = s.offset;
  m.dispersion = s.dispersion;
  m.delay = s.delay;
  m.root_delay = s.root_delay;
  m.root_dispersion = s.root_dispersion;
  m.leap = s.leap;
  m.stratum = s.stratum;
  m.reference_id = s.reference_id;
  if (filter_->add(m) != FilterReject::kNone) return std::nullopt;
  if (++filter_count_ < options_.filter_samples) return std::nullopt;
  filter_count_ = 0;
  std::optional<Measurement> f = filter_->take();
  if (!f) return std::nullopt;
  Sample out = s;
  out.local_time = f->time;
  out.offset = f->offset;
  out.dispersion = f->dispersion;
  out.delay = f->delay;
  out.root_delay = f->root_delay;
  out.root_dispersion = f->root_dispersion;
  out.leap = f->leap;
  out.stratum = f->stratum;
  out.reference_id = f->reference_id;
  return out;
}

bool NtpSourceCore::onSampleAccepted(int samples) {
  return poll_.onGoodSample(samples, last_offset_error_s_, last_distance_s_);
}

}  // namespace strata::refclock::ntp
