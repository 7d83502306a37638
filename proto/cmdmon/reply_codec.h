#pragma once
// Replies of the cmdmon protocol: encoding for the control server, decoding for stratactl.
// Pure; thread-compatible.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "proto/cmdmon/messages.h"

namespace strata::proto::cmdmon {

// Body size of a reply layout (bytes after the 28-byte header); 0 for kNull and for codes this
// codec does not know.
size_t replyBodySize(uint16_t reply_code);
// Whole reply length for a reply code.
inline size_t replyLength(uint16_t reply_code) {
  return kReplyHeaderSize + replyBodySize(reply_code);
}

// Encodes header and body; the layout follows header.reply. A body of another type than the
// layout needs is encoded as zeros (a programming error, never a crash). Replies with a
// non-success status carry no body.
std::vector<uint8_t> encodeReply(const Reply& reply);

// A header-only reply (errors, and commands whose answer is just a status).
Reply statusReply(const RequestHeader& request, Status status);

enum class ReplyError : uint8_t {
  kNone = 0,
  kTooShort,       // shorter than a reply header
  kNotReply,       // packet type or reserved bytes wrong
  kBadVersion,     // not version 6 (status may still say kBadPacketVersion)
  kUnknownReply,   // success status with a reply code this codec does not know
  kTruncatedBody,  // shorter than its reply code needs
};

struct ReplyDecodeResult {
  ReplyError error = ReplyError::kNone;
  Reply reply;  // header valid unless kTooShort/kNotReply
};

// Never reads outside `bytes`.
ReplyDecodeResult decodeReply(std::span<const uint8_t> bytes);

}  // namespace strata::proto::cmdmon
