#include "server/request_handler.h"

#include "proto/refid.h"

namespace strata::server {

using proto::LeapIndicator;
using proto::NtpHeader;
using proto::NtpMode;
using proto::NtpTimestamp;

common::NtpShort servedRootDispersion(const proto::ServerState& state, NtpTimestamp now) {
  if (state.reference_time.isZero()) return state.root_dispersion;
  common::Nanos age = common::ntpDifference(now, state.reference_time);
  if (age.count() <= 0) return state.root_dispersion;
  double grown_ns = static_cast<double>(state.root_dispersion.toNanos().count()) +
                    state.dispersion_rate * static_cast<double>(age.count());
  if (grown_ns > 65535e9) grown_ns = 65535e9;
  return common::NtpShort::fromNanos(common::Nanos(static_cast<int64_t>(grown_ns)));
}

namespace {

ServeDecision drop(DropReason reason) {
  ServeDecision d;
  d.reason = reason;
  return d;
}

// Writes the 4-byte crypto-NAK after the header when the request was authenticated.
uint16_t finishLength(std::span<uint8_t> buffer, bool request_had_mac) {
  if (!request_had_mac) return proto::kNtpHeaderSize;
  buffer[48] = buffer[49] = buffer[50] = buffer[51] = 0;
  return proto::kNtpHeaderSize + 4;
}

// Keeps the client's interleaved-mode flag, which makes the worker request a kernel TX
// timestamp for every reply to it (the next interleaved request needs the precise transmit
// time of this reply). One request that is not interleaved keeps the flag: a chrony client
// whose reply was lost sends one such request and then goes on interleaved. Two in a row
// clear it: the client has gone back to basic mode, and requesting stamps for its replies
// would only lengthen their send path (a TX-stamp request clones the datagram into the
// error queue after the software stamp, which delays its departure beyond what the basic-
// mode calibration predicts). If it asks for interleaved mode again, its first such
// request gets a basic reply with a precise stamp saved, as for a new client.
void noteInterleavedUse(ClientRecord& record, bool asks_interleaved) {
  if (asks_interleaved) {
    record.flags |= ClientRecord::kFlagInterleaved;
    record.flags &= ~ClientRecord::kFlagOneBasic;
  } else if (record.flags & ClientRecord::kFlagOneBasic) {
    record.flags &= ~(ClientRecord::kFlagInterleaved | ClientRecord::kFlagOneBasic);
  } else if (record.flags & ClientRecord::kFlagInterleaved) {
    record.flags |= ClientRecord::kFlagOneBasic;
  }
}

constexpr uint8_t kTxFlags = ClientRecord::kFlagTxPrecise | ClientRecord::kFlagTxHardware;

struct TxOfExchange {
  bool found = false;
  uint64_t tx_ntp = 0;
  uint8_t flags = 0;  // kTxFlags
};

// A client idle longer than this forgets its held pairs (see serveRequest).
constexpr int64_t kHeldChainMaxIdleNs = 3600LL * 1'000'000'000;

// The exchange whose reply had receive timestamp `origin`: the client's last one, or an
// earlier one still held.
TxOfExchange namedExchange(const ClientRecord& record, uint64_t origin, HeldTimestamps* held) {
  if (origin == record.last_rx_ntp) {
    return {true, record.last_tx_ntp, static_cast<uint8_t>(record.flags & kTxFlags)};
  }
  if (held == nullptr) return {};
  const HeldPair* pair = held->find(record.held_seq, origin);
  if (pair == nullptr) return {};
  return {true, pair->tx_ntp, pair->flags};
}

}  // namespace

bool parseRequest(std::span<const uint8_t> datagram, proto::ParsedPacket& request,
                  DropReason& reason) {
  proto::ParseError error = proto::parsePacket(datagram, request);
  if (error != proto::ParseError::kNone) {
    reason = dropReasonFor(error);
    return false;
  }
  const NtpHeader& q = request.header;
  const bool v1_client = q.version == 1 && q.mode == NtpMode::kReserved;
  if (q.mode != NtpMode::kClient && !v1_client) {
    reason = DropReason::kNotRequest;
    return false;
  }
  return true;
}

ServeDecision serveRequest(std::span<uint8_t> buffer, const proto::ParsedPacket& request,
                           common::SysTime rx_served, const ClientLog::Touch& client,
                           const ServeContext& ctx) {
  const NtpHeader& q = request.header;
  ClientRecord& record = *client.record;
  // Held pair numbers repeat after 2^32 saves. No worker saves that many in an hour (it
  // would take 1.2 million saves/s), so a client idle longer forgets its chain: its old
  // number could otherwise name another client's newer pair. Its last exchange stays in
  // the record.
  if (client.since_last_ns > kHeldChainMaxIdleNs) record.held_seq = 0;

  RateDecision rate = rateLimit(ctx.rate_limit, record, client.is_new, client.since_last_ns,
                                ctx.random);
  if (rate == RateDecision::kDrop) {
    if (record.drops != UINT32_MAX) ++record.drops;
    return drop(DropReason::kRateLimited);
  }

  const proto::ServerState& s = ctx.state;
  NtpHeader r;
  r.version = q.version;
  r.mode = NtpMode::kServer;
  r.poll = q.poll;
  r.precision = s.precision;
  ServeDecision d;
  d.reply = true;

  if (rate == RateDecision::kKod) {
    if (record.kod_count != UINT8_MAX) ++record.kod_count;
    r.leap = LeapIndicator::kUnsynchronized;
    r.stratum = 0;
    r.reference_id = proto::kiss::kRate;
    r.origin_time = q.transmit_time;
    r.receive_time = q.transmit_time;
    r.transmit_time = q.transmit_time;
    proto::encodeHeader(r, buffer.first<proto::kNtpHeaderSize>());
    d.kod = true;
    d.reply_length = finishLength(buffer, request.has_mac);
    return d;
  }
  d.leaked = rate == RateDecision::kLeak;

  NtpTimestamp rx = NtpTimestamp::fromSysTime(rx_served).withLowBit(true);
  r.leap = s.leap;
  r.stratum = s.stratum;
  r.reference_id = s.reference_id;
  r.reference_time = s.reference_time;
  r.root_delay = s.root_delay;
  r.root_dispersion = servedRootDispersion(s, rx);
  r.receive_time = rx;

  // Interleaved request: the origin echoes the receive timestamp of an earlier reply.
  const TxOfExchange named = q.version == 4 && !q.origin_time.isZero() &&
                                     q.origin_time != q.transmit_time && !client.is_new
                                 ? namedExchange(record, q.origin_time.raw(), ctx.held)
                                 : TxOfExchange{};
  const bool stamped_last_reply = (record.flags & ClientRecord::kFlagInterleaved) != 0;
  noteInterleavedUse(record, named.found);
  if (named.found && (named.flags & ClientRecord::kFlagTxPrecise)) {
    r.origin_time = q.receive_time;
    r.transmit_time = NtpTimestamp::fromRaw(named.tx_ntp);
    d.interleaved = true;
  } else {
    r.origin_time = q.transmit_time;
    d.stamp_transmit = true;
  }
  d.want_tx_timestamp = (record.flags & ClientRecord::kFlagInterleaved) != 0;

  // The last reply's pair makes way for this one's; keep it if the client may name it (its
  // precise TX was asked for: may still come, see Worker::drainErrorQueue).
  if (stamped_last_reply && ctx.held != nullptr && record.last_rx_ntp != 0) {
    record.held_seq = ctx.held->save(record.last_rx_ntp, record.last_tx_ntp,
                                     static_cast<uint8_t>(record.flags & kTxFlags),
                                     record.held_seq);
  }
  record.last_rx_ntp = rx.raw();
  // Until the worker records this reply's transmit time, no precise TX is known for it.
  recordTransmit(record, NtpTimestamp(), false, false);

  proto::encodeHeader(r, buffer.first<proto::kNtpHeaderSize>());
  d.reply_length = finishLength(buffer, request.has_mac);
  return d;
}

}  // namespace strata::server
