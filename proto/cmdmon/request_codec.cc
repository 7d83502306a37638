#include "proto/cmdmon/request_codec.h"

#include <algorithm>

#include "proto/cmdmon/reply_codec.h"

namespace strata::proto::cmdmon {

namespace {

// Body bytes of the requests this codec decodes.
constexpr size_t kIndexBody = 4;
constexpr size_t kClientQueryBody = 16;
constexpr size_t kMakestepBody = 8;

struct CommandLayout {
  size_t request_body = 0;
  uint16_t min_reply = rpy::kNull;        // the reply chronyc 4.3 expects (sets min length)
  uint16_t preferred_reply = rpy::kNull;  // the longest reply layout we can send/decode
};

bool layoutOf(uint16_t command, CommandLayout& out) {
  switch (command) {
    case cmd::kNSources:
      out = {0, rpy::kNSources, rpy::kNSources};
      return true;
    case cmd::kSourceData:
      out = {kIndexBody, rpy::kSourceData, rpy::kSourceData};
      return true;
    case cmd::kTracking:
      out = {0, rpy::kTracking, rpy::kTracking};
      return true;
    case cmd::kSourceStats:
      out = {kIndexBody, rpy::kSourceStats, rpy::kSourceStats};
      return true;
    case cmd::kActivity:
      out = {0, rpy::kActivity, rpy::kActivity};
      return true;
    case cmd::kServerStats:
      out = {0, rpy::kServerStats3, rpy::kServerStats4};
      return true;
    case cmd::kNtpData:
      out = {kAddressSize, rpy::kNtpData, rpy::kNtpData2};
      return true;
    case cmd::kNtpSourceName:
      out = {kAddressSize, rpy::kNtpSourceName, rpy::kNtpSourceName};
      return true;
    case cmd::kClientAccessesByIndex3:
      out = {kClientQueryBody, rpy::kClientAccessesByIndex3, rpy::kClientAccessesByIndex3};
      return true;
    case cmd::kMakeStep:
      out = {0, rpy::kNull, rpy::kNull};
      return true;
    case cmd::kModifyMakestep:
      out = {kMakestepBody, rpy::kNull, rpy::kNull};
      return true;
    case cmd::kStrataWorkerData:
      out = {kIndexBody, rpy::kStrataWorkerData, rpy::kStrataWorkerData};
      return true;
    default:
      return false;
  }
}

size_t paddedLength(size_t request_body, uint16_t reply_code) {
  return std::max(kRequestHeaderSize + request_body, replyLength(reply_code));
}

}  // namespace

const char* requestErrorName(RequestError error) {
  switch (error) {
    case RequestError::kNone:
      return "none";
    case RequestError::kTooShort:
      return "too_short";
    case RequestError::kTooLong:
      return "too_long";
    case RequestError::kNotRequest:
      return "not_request";
    case RequestError::kReservedBits:
      return "reserved_bits";
    case RequestError::kBadVersion:
      return "bad_version";
    case RequestError::kUnknownCommand:
      return "unknown_command";
    case RequestError::kBadLength:
      return "bad_length";
    case RequestError::kCount:
      break;
  }
  return "?";
}

CommandKind commandKind(uint16_t command) {
  switch (command) {
    // Read-only commands of chrony 4.x, and Strata's extension.
    case cmd::kAcCheck:
    case cmd::kActivity:
    case cmd::kAuthData:
    case cmd::kClientAccessesByIndex3:
    case cmd::kCmdAcCheck:
    case cmd::kManualList:
    case cmd::kNtpData:
    case cmd::kNtpSourceName:
    case cmd::kNSources:
    case cmd::kRtcReport:
    case cmd::kSelectData:
    case cmd::kServerStats:
    case cmd::kSmoothing:
    case cmd::kSourceStats:
    case cmd::kSourceData:
    case cmd::kTracking:
    case cmd::kStrataWorkerData:
      return CommandKind::kMonitoring;
    // Commands that change the daemon, including the older codes chrony 4.x clients may still
    // use for them (add server/peer, local, doffset).
    case cmd::kOnline:
    case cmd::kOffline:
    case cmd::kBurst:
    case cmd::kModifyMinpoll:
    case cmd::kModifyMaxpoll:
    case cmd::kDump:
    case cmd::kModifyMaxdelay:
    case cmd::kModifyMaxdelayratio:
    case cmd::kModifyMaxupdateskew:
    case cmd::kSettime:
    case 12:  // LOCAL
    case cmd::kManual:
    case cmd::kRekey:
    case cmd::kAllow:
    case cmd::kAllowAll:
    case cmd::kDeny:
    case cmd::kDenyAll:
    case cmd::kCmdAllow:
    case cmd::kCmdAllowAll:
    case cmd::kCmdDeny:
    case cmd::kCmdDenyAll:
    case 27:  // ADD_SERVER
    case 28:  // ADD_PEER
    case cmd::kDelSource:
    case cmd::kWriteRtc:
    case cmd::kDfreq:
    case 32:  // DOFFSET
    case cmd::kTrimRtc:
    case cmd::kCycleLogs:
    case cmd::kManualDelete:
    case cmd::kMakeStep:
    case cmd::kModifyMinstratum:
    case cmd::kModifyPolltarget:
    case cmd::kModifyMaxdelaydevratio:
    case cmd::kReselect:
    case cmd::kReselectDistance:
    case cmd::kModifyMakestep:
    case cmd::kSmoothtime:
    case cmd::kRefresh:
    case 56:  // LOCAL2
    case 58:  // ADD_SERVER2
    case 59:  // ADD_PEER2
    case 60:  // ADD_SERVER3
    case 61:  // ADD_PEER3
    case cmd::kShutdown:
    case cmd::kOnOffline:
    case cmd::kAddSource:
    case cmd::kResetSources:
    case cmd::kReloadSources:
    case cmd::kDoffset2:
    case cmd::kModifySelectOpts:
    case cmd::kModifyOffset:
    case cmd::kLocal3:
      return CommandKind::kModifying;
    default:
      return CommandKind::kUnknown;
  }
}

bool isSupportedCommand(uint16_t command) {
  CommandLayout layout;
  return layoutOf(command, layout);
}

size_t minimumRequestLength(uint16_t command) {
  CommandLayout layout;
  if (!layoutOf(command, layout)) return 0;
  return paddedLength(layout.request_body, layout.min_reply);
}

size_t preferredRequestLength(uint16_t command) {
  CommandLayout layout;
  if (!layoutOf(command, layout)) return 0;
  return paddedLength(layout.request_body, layout.preferred_reply);
}

DecodeResult decodeRequest(std::span<const uint8_t> bytes) {
  DecodeResult result;
  // Anything shorter than a reply header could not be answered without amplification.
  if (bytes.size() < kReplyHeaderSize) {
    result.error = RequestError::kTooShort;
    return result;
  }
  if (bytes.size() > kMaxRequestSize) {
    result.error = RequestError::kTooLong;
    return result;
  }
  WireReader r(bytes);
  RequestHeader& h = result.request.header;
  h.version = r.u8();
  const uint8_t pkt_type = r.u8();
  const uint8_t res1 = r.u8();
  const uint8_t res2 = r.u8();
  h.command = r.u16();
  h.attempt = r.u16();
  h.sequence = r.u32();
  r.skip(8);  // pad1, pad2
  result.request.wire_length = bytes.size();
  if (pkt_type != kPacketTypeRequest) {
    result.error = RequestError::kNotRequest;
    return result;
  }
  if (res1 != 0 || res2 != 0) {
    result.error = RequestError::kReservedBits;
    return result;
  }
  if (h.version != kProtocolVersion) {
    result.error = RequestError::kBadVersion;
    return result;
  }
  if (commandKind(h.command) == CommandKind::kUnknown) {
    result.error = RequestError::kUnknownCommand;
    return result;
  }
  CommandLayout layout;
  if (!layoutOf(h.command, layout)) return result;  // known, body not decoded here
  if (bytes.size() < paddedLength(layout.request_body, layout.min_reply)) {
    result.error = RequestError::kBadLength;
    return result;
  }
  switch (h.command) {
    case cmd::kSourceData:
    case cmd::kSourceStats:
    case cmd::kStrataWorkerData:
      result.request.body = r.u32();
      break;
    case cmd::kNtpData:
    case cmd::kNtpSourceName:
      result.request.body = r.address();
      break;
    case cmd::kClientAccessesByIndex3: {
      ClientAccessesQuery q;
      q.first_index = r.u32();
      q.max_clients = r.u32();
      q.min_hits = r.u32();
      q.reset = r.u32() != 0;
      result.request.body = q;
      break;
    }
    case cmd::kModifyMakestep: {
      MakestepParams p;
      p.limit = r.i32();
      p.threshold_s = r.f32();
      result.request.body = p;
      break;
    }
    default:
      break;
  }
  return result;
}

std::vector<uint8_t> encodeRequest(const Request& request) {
  std::vector<uint8_t> out;
  const size_t length = preferredRequestLength(request.header.command);
  out.reserve(std::max(length, kReplyHeaderSize));
  WireWriter w(out);
  w.u8(request.header.version);
  w.u8(kPacketTypeRequest);
  w.u8(0);
  w.u8(0);
  w.u16(request.header.command);
  w.u16(request.header.attempt);
  w.u32(request.header.sequence);
  w.zeros(8);
  if (const auto* index = std::get_if<uint32_t>(&request.body)) {
    w.u32(*index);
  } else if (const auto* address = std::get_if<CmdAddress>(&request.body)) {
    w.address(*address);
  } else if (const auto* q = std::get_if<ClientAccessesQuery>(&request.body)) {
    w.u32(q->first_index);
    w.u32(q->max_clients);
    w.u32(q->min_hits);
    w.u32(q->reset ? 1 : 0);
  } else if (const auto* p = std::get_if<MakestepParams>(&request.body)) {
    w.i32(p->limit);
    w.f32(p->threshold_s);
  }
  // Unknown commands still get a reply header's worth of bytes, so a server can answer.
  const size_t target = std::max(length, kReplyHeaderSize);
  if (out.size() < target) w.zeros(target - out.size());
  return out;
}

}  // namespace strata::proto::cmdmon
