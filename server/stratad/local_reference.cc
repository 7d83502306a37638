#include "server/stratad/local_reference.h"

namespace strata::stratad {

proto::ServerState localReferenceState(const config::LocalReferenceConfig& local,
                                       common::SysTime now, int8_t precision_log2) {
  proto::ServerState s;
  s.precision = precision_log2;
  if (!local.enabled) return s;  // leap 3, stratum 16
  s.leap = proto::LeapIndicator::kNone;
  s.stratum = static_cast<uint8_t>(local.stratum);
  s.reference_id = kLocalReferenceId;
  s.reference_time = proto::NtpTimestamp::fromSysTime(now);
  s.root_delay = common::NtpShort();
  s.root_dispersion = common::NtpShort();
  return s;
}

}  // namespace strata::stratad
