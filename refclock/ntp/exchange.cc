#include "refclock/ntp/exchange.h"

namespace strata::refclock::ntp {

namespace {
constexpr common::Nanos kMaxServerHold{common::kNanosPerSecond};
}

SentRequest makeRequestFields(uint64_t seq, bool want_interleaved, const ExchangeBasis& basis,
                              uint64_t cookie_a, uint64_t cookie_b) {
  SentRequest r;
  r.seq = seq;
  r.transmit = NtpTimestamp::fromRaw(cookie_a).withLowBit(false);
  if (r.transmit.isZero()) r.transmit = NtpTimestamp::fromRaw(2);
  if (want_interleaved && basis.valid && !basis.server_rx.isZero()) {
    r.interleaved = true;
    r.basis = basis;
    r.origin = basis.server_rx;
    r.receive = NtpTimestamp::fromRaw(cookie_b).withLowBit(true);
  }
  return r;
}

OriginMatch matchOrigin(const proto::NtpHeader& reply, const SentRequest& request) {
  if (reply.origin_time == request.transmit) return OriginMatch::kBasic;
  if (request.interleaved && reply.origin_time == request.receive) return OriginMatch::kInterleaved;
  return OriginMatch::kNone;
}

std::optional<ExchangeTimes> measuredExchange(OriginMatch match, const proto::NtpHeader& reply,
                                              const SentRequest& request, SysTime our_rx,
                                              StampSource rx_source) {
  ExchangeTimes e;
  if (match == OriginMatch::kBasic) {
    e.t1 = request.ourTx();
    e.tx_source = request.ourTxSource();
    e.t2 = reply.receive_time;
    e.t3 = reply.transmit_time;
    e.t4 = our_rx;
    e.rx_source = rx_source;
    return e;
  }
  if (match != OriginMatch::kInterleaved || !request.basis.valid) return std::nullopt;
  const ExchangeBasis& b = request.basis;
  common::Nanos hold = common::ntpDifference(reply.transmit_time, b.server_rx);
  if (hold < common::Nanos(0) || hold > kMaxServerHold) return std::nullopt;
  e.t1 = b.our_tx;
  e.tx_source = b.tx_source;
  e.t2 = b.server_rx;
  e.t3 = reply.transmit_time;
  e.t4 = b.our_rx;
  e.rx_source = b.rx_source;
  e.interleaved = true;
  return e;
}

ExchangeBasis nextBasis(const proto::NtpHeader& reply, const SentRequest& request, SysTime our_rx,
                        StampSource rx_source) {
  ExchangeBasis b;
  b.valid = !reply.receive_time.isZero();
  b.seq = request.seq;
  b.server_rx = reply.receive_time;
  b.our_tx = request.ourTx();
  b.tx_source = request.ourTxSource();
  b.our_rx = our_rx;
  b.rx_source = rx_source;
  return b;
}

}  // namespace strata::refclock::ntp
