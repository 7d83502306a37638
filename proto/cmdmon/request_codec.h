#pragma once
// Requests of the cmdmon protocol: decoding what a client (chronyc, stratactl) sent, and
// encoding requests for stratactl. Pure; thread-compatible.
//
// Lengths: a request must be at least as long as the reply it asks for (chronyc pads it), so
// that a server never answers with more bytes than it received. For commands whose reply
// grew in later chrony versions (SERVER_STATS, NTP_DATA), the request length tells which
// reply layout the client can take: Debian 12's chronyc 4.3 pads for the older, shorter one.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "proto/cmdmon/messages.h"

namespace strata::proto::cmdmon {

// Why a request could not be served as asked. The first four mean "drop silently" (there is
// no way to answer them without risk); the others get a header-only error reply.
enum class RequestError : uint8_t {
  kNone = 0,
  kTooShort,        // shorter than a reply header
  kTooLong,         // longer than kMaxRequestSize
  kNotRequest,      // packet type is not "request"
  kReservedBits,    // reserved header bytes are not zero
  kBadVersion,      // version is not 6 (answer kBadPacketVersion if the version is >= 5)
  kUnknownCommand,  // not a command chrony 4.x or Strata defines (answer kInvalid)
  kBadLength,       // too short for its command (answer kBadPacketLength)
  kCount
};
inline constexpr size_t kRequestErrorCount = static_cast<size_t>(RequestError::kCount);
const char* requestErrorName(RequestError error);
// True for the errors after which nothing is sent back.
inline bool isSilentDrop(RequestError e) {
  return e == RequestError::kTooShort || e == RequestError::kTooLong ||
         e == RequestError::kNotRequest || e == RequestError::kReservedBits;
}

// What a command does, for authorisation.
enum class CommandKind : uint8_t {
  kUnknown,     // not a chrony 4.x / Strata command
  kMonitoring,  // only reads state
  kModifying,   // changes state: allowed only over the unix socket
};
CommandKind commandKind(uint16_t command);
// True if this codec decodes the command's body and a server can answer it.
bool isSupportedCommand(uint16_t command);

struct DecodeResult {
  RequestError error = RequestError::kNone;
  // Valid header whenever the error is not a silent drop; body set only without error.
  Request request;
};

// Never reads outside `bytes`; any input is safe.
DecodeResult decodeRequest(std::span<const uint8_t> bytes);

// The shortest request accepted for a supported command (what chronyc 4.3 sends), or 0.
size_t minimumRequestLength(uint16_t command);
// The length encodeRequest() uses: padded for the longest reply layout this codec decodes.
size_t preferredRequestLength(uint16_t command);

// Encodes a request padded to preferredRequestLength(). The body must match the command.
std::vector<uint8_t> encodeRequest(const Request& request);

}  // namespace strata::proto::cmdmon
