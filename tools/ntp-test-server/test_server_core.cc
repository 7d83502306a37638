#include "tools/ntp-test-server/test_server_core.h"

#include <algorithm>
#include <cmath>

#include "proto/refid.h"

namespace strata::ntptest {

SysTime TimeModel::truth(SysTime t) const {
  const double elapsed_ns = static_cast<double>((t - t0).count());
  SysTime s = t + offset + Nanos(std::llround(drift_ppm * 1e-6 * elapsed_ns));
  if (step_after >= Nanos(0) && t - t0 >= step_after) s += step;
  return s;
}

TestServerCore::TestServerCore(TimeModel model, Behaviour behaviour, uint64_t seed)
    : model_(model), b_(behaviour), rng_(seed) {
  b_.kod_every = std::max(1, b_.kod_every);
  b_.interleaved_slots = std::max<size_t>(1, b_.interleaved_slots);
  saved_order_.assign(b_.interleaved_slots, 0);
}

common::NtpTimestamp TestServerCore::served(SysTime t, Nanos noise, bool low_bit) const {
  return common::NtpTimestamp::fromSysTime(model_.truth(t) + noise).withLowBit(low_bit);
}

ReplyPlan TestServerCore::answer(std::span<const uint8_t> datagram, SysTime rx, SysTime tx_read) {
  ReplyPlan plan;
  proto::ParsedPacket packet;
  if (proto::parsePacket(datagram, packet) != proto::ParseError::kNone ||
      packet.header.mode != proto::NtpMode::kClient) {
    ++counters_.ignored;
    return plan;
  }
  const proto::NtpHeader& req = packet.header;
  ++counters_.requests;
  if (b_.loss > 0 && uniform_(rng_) < b_.loss) {
    ++counters_.lost;
    return plan;
  }
  plan.noise = b_.jitter_s > 0 ? common::nanosFromSeconds(b_.jitter_s * normal_(rng_)) : Nanos(0);

  proto::NtpHeader h;
  h.leap = b_.leap;
  h.version = req.version;
  h.mode = proto::NtpMode::kServer;
  h.stratum = b_.stratum;
  h.poll = req.poll;
  h.precision = b_.precision;
  h.root_delay = common::NtpShort::fromNanos(b_.root_delay);
  h.root_dispersion = common::NtpShort::fromNanos(b_.root_dispersion);
  h.reference_id = b_.refid;
  h.reference_time = common::NtpTimestamp::fromSysTime(
      std::chrono::floor<std::chrono::seconds>(model_.truth(rx)) - std::chrono::seconds(1));
  h.receive_time = served(rx, plan.noise, true);
  plan.receive_raw = h.receive_time.raw();

  const bool wants_interleaved = req.version == 4 && !req.origin_time.isZero() &&
                                 req.origin_time != req.transmit_time && req.origin_time.lowBit();
  auto it = wants_interleaved && b_.interleaved ? saved_.find(req.origin_time.raw()) : saved_.end();
  if (it != saved_.end()) {
    h.origin_time = req.receive_time;
    h.transmit_time = common::NtpTimestamp::fromRaw(it->second);
    plan.interleaved = true;
    ++counters_.interleaved;
  } else {
    h.origin_time = req.transmit_time;
    const Nanos comp = b_.tx_compensation ? counters_.send_latency : Nanos(0);
    h.transmit_time = served(tx_read + comp, plan.noise, false);
  }

  if (b_.kod != Kiss::kNone && counters_.requests % static_cast<uint64_t>(b_.kod_every) == 0) {
    h.stratum = 0;
    switch (b_.kod) {
      case Kiss::kRate:
        h.reference_id = proto::kiss::kRate;
        h.poll = static_cast<int8_t>(b_.kod_poll >= 0 ? b_.kod_poll : std::min(17, req.poll + 1));
        break;
      case Kiss::kDeny:
        h.reference_id = proto::kiss::kDeny;
        break;
      case Kiss::kRstr:
        h.reference_id = proto::kiss::kRstr;
        break;
      case Kiss::kNone:
        break;
    }
    plan.kod = true;
    plan.interleaved = false;
    ++counters_.kod;
  }
  proto::encodeHeader(h, plan.bytes);
  plan.send = true;
  ++counters_.replies;
  if (b_.duplicate > 0 && uniform_(rng_) < b_.duplicate) {
    plan.twice = true;
    ++counters_.duplicates;
  }
  return plan;
}

void TestServerCore::onTransmitted(uint64_t receive_raw, SysTime tx, Nanos noise, SysTime tx_read) {
  if (receive_raw == 0) return;
  const int64_t latency = (tx - tx_read).count();
  if (latency >= 0 && latency < 1'000'000) {
    constexpr size_t kWindow = 64;
    if (latencies_.size() < kWindow) {
      latencies_.push_back(latency);
    } else {
      latencies_[latency_next_] = latency;
      latency_next_ = (latency_next_ + 1) % kWindow;
    }
    std::vector<int64_t> sorted = latencies_;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2),
                     sorted.end());
    counters_.send_latency = Nanos(sorted[sorted.size() / 2]);
  }
  if (auto it = saved_.find(receive_raw); it != saved_.end()) {
    it->second = served(tx, noise, false).raw();  // a reply sent twice: the later stamp
    return;
  }
  uint64_t& slot = saved_order_[saved_next_];
  if (slot != 0) saved_.erase(slot);
  slot = receive_raw;
  saved_next_ = (saved_next_ + 1) % saved_order_.size();
  saved_[receive_raw] = served(tx, noise, false).raw();
  ++counters_.tx_stamps;
}

}  // namespace strata::ntptest
