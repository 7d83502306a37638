#include "tools/strataperf/reply_check.h"

namespace strata::perf {

void encodeRequest(const RequestFields& fields, std::span<uint8_t, proto::kNtpHeaderSize> out) {
  proto::NtpHeader h;
  h.leap = proto::LeapIndicator::kNone;
  h.version = proto::kNtpVersion;
  h.mode = proto::NtpMode::kClient;
  h.origin_time = proto::NtpTimestamp::fromRaw(fields.origin);
  h.receive_time = proto::NtpTimestamp::fromRaw(fields.receive);
  h.transmit_time = proto::NtpTimestamp::fromRaw(fields.transmit);
  proto::encodeHeader(h, out);
}

const char* replyVerdictName(ReplyVerdict verdict) {
  switch (verdict) {
    case ReplyVerdict::kBasic:
      return "basic";
    case ReplyVerdict::kInterleaved:
      return "interleaved";
    case ReplyVerdict::kMalformed:
      return "malformed";
    case ReplyVerdict::kNotServerMode:
      return "not_server_mode";
    case ReplyVerdict::kBadVersion:
      return "bad_version";
    case ReplyVerdict::kOriginMismatch:
      return "origin_mismatch";
    case ReplyVerdict::kKissOfDeath:
      return "kiss_of_death";
    case ReplyVerdict::kUnsynchronized:
      return "unsynchronized";
    case ReplyVerdict::kZeroTimestamp:
      return "zero_timestamp";
  }
  return "?";
}

bool parseReply(std::span<const uint8_t> datagram, proto::NtpHeader& header,
                ReplyVerdict& verdict) {
  proto::ParsedPacket packet;
  if (proto::parsePacket(datagram, packet) != proto::ParseError::kNone) {
    verdict = ReplyVerdict::kMalformed;
    return false;
  }
  header = packet.header;
  if (header.mode != proto::NtpMode::kServer) {
    verdict = ReplyVerdict::kNotServerMode;
    return false;
  }
  if (header.version != proto::kNtpVersion) {
    verdict = ReplyVerdict::kBadVersion;
    return false;
  }
  return true;
}

ReplyVerdict matchReply(const proto::NtpHeader& header, uint64_t transmit_cookie,
                        bool asked_interleaved) {
  uint64_t origin = header.origin_time.raw();
  bool basic = origin == transmit_cookie;
  bool interleaved = asked_interleaved && origin == receiveCookieOf(transmit_cookie);
  if (!basic && !interleaved) return ReplyVerdict::kOriginMismatch;
  if (header.stratum == 0) return ReplyVerdict::kKissOfDeath;
  if (header.leap == proto::LeapIndicator::kUnsynchronized) return ReplyVerdict::kUnsynchronized;
  if (header.receive_time.isZero() || header.transmit_time.isZero()) {
    return ReplyVerdict::kZeroTimestamp;
  }
  return interleaved ? ReplyVerdict::kInterleaved : ReplyVerdict::kBasic;
}

void kissCode(const proto::NtpHeader& header, char (&out)[5]) {
  for (int i = 0; i < 4; ++i) {
    char c = static_cast<char>((header.reference_id >> (24 - 8 * i)) & 0xFF);
    out[i] = (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  out[4] = '\0';
}

}  // namespace strata::perf
