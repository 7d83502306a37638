#pragma once
// From ControlBackend reports to cmdmon reply bodies: unit conversion (Nanos -> seconds) and
// chrony's conventions for addressing sources on the wire. Pure; thread-compatible.

#include <cstdint>

#include "proto/cmdmon/messages.h"
#include "server/control/control_backend.h"

namespace strata::server::control {

// How chronyc sees a source in SOURCE_DATA: refclocks as an IPv4 address holding their
// reference ID, unresolved NTP sources as an identifier, the others by address.
proto::cmdmon::CmdAddress sourceDataAddress(const SourceReport& source);
// Whether a client's address names this source (NTP_DATA / NTP_SOURCE_NAME requests):
// resolved NTP sources by address, unresolved ones by their identifier.
bool sourceMatches(const SourceReport& source, const proto::cmdmon::CmdAddress& address);

proto::cmdmon::TrackingReply toTrackingReply(const TrackingReport& report);
proto::cmdmon::SourceDataReply toSourceDataReply(const SourceReport& source);
proto::cmdmon::SourceStatsReply toSourceStatsReply(const SourceReport& source);
proto::cmdmon::ServerStatsReply toServerStatsReply(const ServingReport& serving,
                                                   uint64_t command_received,
                                                   uint64_t command_dropped);
proto::cmdmon::ClientAccessesReply toClientAccessesReply(const ClientPage& page);
proto::cmdmon::NtpDataReply toNtpDataReply(const NtpDataReport& report);
proto::cmdmon::ActivityReply toActivityReply(const ActivityReport& report);
proto::cmdmon::WorkerDataReply toWorkerDataReply(const WorkerReport& worker, uint32_t n_workers);

}  // namespace strata::server::control
