#include "server/drop_reason.h"

namespace strata::server {

const char* dropReasonName(DropReason reason) {
  switch (reason) {
    case DropReason::kEmpty: return "empty";
    case DropReason::kControlMode: return "mode6";
    case DropReason::kPrivateMode: return "mode7";
    case DropReason::kTooShort: return "too_short";
    case DropReason::kBadVersion: return "bad_version";
    case DropReason::kReservedMode: return "reserved_mode";
    case DropReason::kBadExtensionField: return "bad_extension_field";
    case DropReason::kTooManyExtensionFields: return "too_many_extension_fields";
    case DropReason::kBadTrailer: return "bad_trailer";
    case DropReason::kTruncated: return "truncated";
    case DropReason::kNotRequest: return "not_request";
    case DropReason::kDenied: return "denied";
    case DropReason::kRateLimited: return "rate_limited";
    case DropReason::kBadSource: return "bad_source";
    case DropReason::kSendFailed: return "send_failed";
    case DropReason::kCount: break;
  }
  return "unknown";
}

DropReason dropReasonFor(proto::ParseError error) {
  using proto::ParseError;
  switch (error) {
    case ParseError::kEmpty: return DropReason::kEmpty;
    case ParseError::kControlMode: return DropReason::kControlMode;
    case ParseError::kPrivateMode: return DropReason::kPrivateMode;
    case ParseError::kTooShort: return DropReason::kTooShort;
    case ParseError::kBadVersion: return DropReason::kBadVersion;
    case ParseError::kReservedMode: return DropReason::kReservedMode;
    case ParseError::kBadExtensionField: return DropReason::kBadExtensionField;
    case ParseError::kTooManyExtensionFields: return DropReason::kTooManyExtensionFields;
    case ParseError::kBadTrailer:
    case ParseError::kNone: break;
  }
  return DropReason::kBadTrailer;
}

}  // namespace strata::server
