#include "tests/unit/ntp/fake_server.h"

namespace strata::refclock::ntp::testing {

FakeServer::Reply FakeServer::answer(std::span<const uint8_t, proto::kNtpHeaderSize> request,
                                     SysTime client_tx) {
  proto::NtpHeader req = proto::decodeHeader(request);
  SysTime arrive = client_tx + one_way;  // client clock
  SysTime leave = arrive + hold;
  common::NtpTimestamp rx = common::NtpTimestamp::fromSysTime(arrive + offset).withLowBit(true);
  common::NtpTimestamp precise_tx =
      common::NtpTimestamp::fromSysTime(leave + offset).withLowBit(false);
  common::NtpTimestamp basic_tx =
      common::NtpTimestamp::fromSysTime(leave - early + offset).withLowBit(false);

  proto::NtpHeader h;
  h.leap = leap;
  h.version = req.version;
  h.mode = proto::NtpMode::kServer;
  h.stratum = stratum;
  h.poll = req.poll;
  h.precision = precision;
  h.root_delay = common::NtpShort::fromNanos(root_delay);
  h.root_dispersion = common::NtpShort::fromNanos(root_dispersion);
  h.reference_id = refid;
  h.reference_time = common::NtpTimestamp::fromSysTime(arrive + offset - Nanos(1'000'000'000));
  h.receive_time = rx;
  auto it = saved.find(req.origin_time.raw());
  const bool wants = req.version == 4 && req.origin_time.lowBit() &&
                     req.origin_time != req.transmit_time && !req.receive_time.isZero();
  if (interleaved && wants && it != saved.end()) {
    h.origin_time = req.receive_time;
    h.transmit_time = it->second;
  } else {
    h.origin_time = req.transmit_time;
    h.transmit_time = basic_tx;
  }
  saved[rx.raw()] = precise_tx;
  Reply r;
  r.header = h;
  proto::encodeHeader(h, r.bytes);
  r.client_rx = leave + one_way;
  return r;
}

}  // namespace strata::refclock::ntp::testing
