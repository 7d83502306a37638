#pragma once
// Why a datagram got no normal reply. Counted per worker; shown by serverstats/metrics.

#include <cstddef>
#include <cstdint>

#include "proto/ntp_packet.h"

namespace strata::server {

enum class DropReason : uint8_t {
  kEmpty = 0,
  kControlMode,       // mode 6 (ntpq): never answered
  kPrivateMode,       // mode 7 (ntpdc, monlist): never answered
  kTooShort,
  kBadVersion,
  kReservedMode,
  kBadExtensionField,
  kTooManyExtensionFields,
  kBadTrailer,
  kTruncated,         // larger than the receive buffer
  kNotRequest,        // a valid packet, but not a client request (modes 1, 2, 4, 5)
  kDenied,            // source not allowed by allow/deny
  kRateLimited,       // dropped by ratelimit
  kBadSource,         // source port 0 or an unusable address
  kSendFailed,        // sendmmsg refused it
  kCount
};
inline constexpr size_t kDropReasonCount = static_cast<size_t>(DropReason::kCount);

const char* dropReasonName(DropReason reason);
DropReason dropReasonFor(proto::ParseError error);

}  // namespace strata::server
