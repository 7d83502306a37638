#include "server/control/command_processor.h"

#include "proto/cmdmon/reply_codec.h"
#include "server/control/report_translation.h"

namespace strata::server::control {

namespace cm = proto::cmdmon;

const char* commandDropName(CommandDrop drop) {
  switch (drop) {
    case CommandDrop::kMalformed:
      return "malformed";
    case CommandDrop::kOldVersion:
      return "old_version";
    case CommandDrop::kRateLimited:
      return "rate_limited";
    case CommandDrop::kReplyTooLong:
      return "reply_too_long";
    case CommandDrop::kNotLoopback:
      return "not_loopback";
    case CommandDrop::kNoReturnAddress:
      return "no_return_address";
    case CommandDrop::kSendFailed:
      return "send_failed";
    case CommandDrop::kQueueOverflow:
      return "queue_overflow";
    case CommandDrop::kCount:
      break;
  }
  return "?";
}

std::vector<uint16_t> ProcessorOptions::defaultUdpOpenCommands() {
  return {cm::cmd::kActivity,    cm::cmd::kNSources, cm::cmd::kSourceData,
          cm::cmd::kSourceStats, cm::cmd::kTracking, cm::cmd::kNtpSourceName};
}

CommandProcessor::CommandProcessor(ControlBackend& backend, ProcessorOptions options)
    : backend_(backend),
      unix_bucket_(options.max_requests_per_second, options.burst),
      udp_bucket_(options.max_requests_per_second, options.burst) {
  for (uint16_t c : options.udp_open_commands) udp_open_[c] = true;
}

void CommandProcessor::drop(CommandDrop reason) {
  add(dropped_);
  add(drops_[static_cast<size_t>(reason)]);
}

void CommandProcessor::countReceivedAndDropped(CommandDrop reason) {
  add(received_);
  drop(reason);
}

void CommandProcessor::countQueueOverflow(uint64_t n) {
  add(received_, n);
  add(dropped_, n);
  add(drops_[static_cast<size_t>(CommandDrop::kQueueOverflow)], n);
}

void CommandProcessor::countSendFailure() {
  // The reply was counted as produced; it never left.
  add(dropped_);
  add(drops_[static_cast<size_t>(CommandDrop::kSendFailed)]);
}

common::Nanos CommandProcessor::pauseFor(Transport transport, common::Nanos now) {
  return (transport == Transport::kUnix ? unix_bucket_ : udp_bucket_).timeUntilToken(now);
}

CommandCounters CommandProcessor::counters() const {
  CommandCounters c;
  c.received = received_.load(std::memory_order_relaxed);
  c.replied = replied_.load(std::memory_order_relaxed);
  c.dropped = dropped_.load(std::memory_order_relaxed);
  c.unauthorised = unauthorised_.load(std::memory_order_relaxed);
  c.errors = errors_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < kCommandDropCount; ++i)
    c.drops[i] = drops_[i].load(std::memory_order_relaxed);
  for (size_t i = 0; i < decode_errors_.size(); ++i) {
    c.decode_errors[i] = decode_errors_[i].load(std::memory_order_relaxed);
  }
  return c;
}

std::vector<uint8_t> CommandProcessor::process(std::span<const uint8_t> bytes, Transport transport,
                                               common::Nanos now) {
  add(received_);
  TokenBucket& bucket = transport == Transport::kUnix ? unix_bucket_ : udp_bucket_;
  if (!bucket.tryTake(now)) {
    drop(CommandDrop::kRateLimited);
    return {};
  }
  const cm::DecodeResult decoded = cm::decodeRequest(bytes);
  if (decoded.error != cm::RequestError::kNone) {
    add(decode_errors_[static_cast<size_t>(decoded.error)]);
  }
  if (cm::isSilentDrop(decoded.error)) {
    drop(CommandDrop::kMalformed);
    return {};
  }
  const cm::RequestHeader& header = decoded.request.header;
  std::vector<uint8_t> reply;
  switch (decoded.error) {
    case cm::RequestError::kBadVersion:
      if (header.version < cm::kOldestAnsweredVersion) {
        drop(CommandDrop::kOldVersion);
        return {};
      }
      reply = cm::encodeReply(cm::statusReply(header, cm::Status::kBadPacketVersion));
      break;
    case cm::RequestError::kUnknownCommand:
      reply = cm::encodeReply(cm::statusReply(header, cm::Status::kInvalid));
      break;
    case cm::RequestError::kBadLength:
      reply = cm::encodeReply(cm::statusReply(header, cm::Status::kBadPacketLength));
      break;
    default:
      reply = dispatch(decoded.request, transport);
      break;
  }
  if (reply.size() > bytes.size()) {  // never amplify, whatever went wrong above
    drop(CommandDrop::kReplyTooLong);
    return {};
  }
  add(replied_);
  const uint16_t status = static_cast<uint16_t>((reply[8] << 8) | reply[9]);  // header offset 8
  if (status == static_cast<uint16_t>(cm::Status::kUnauthorised)) {
    add(unauthorised_);
  } else if (status != static_cast<uint16_t>(cm::Status::kSuccess)) {
    add(errors_);
  }
  return reply;
}

std::vector<uint8_t> CommandProcessor::dispatch(const cm::Request& request, Transport transport) {
  const cm::RequestHeader& h = request.header;
  const uint16_t command = h.command;
  const cm::CommandKind kind = cm::commandKind(command);
  if (transport != Transport::kUnix &&
      (kind == cm::CommandKind::kModifying || !udp_open_[command])) {
    return cm::encodeReply(cm::statusReply(h, cm::Status::kUnauthorised));
  }

  cm::Reply reply = cm::statusReply(h, cm::Status::kSuccess);
  auto fail = [&](cm::Status status) { return cm::encodeReply(cm::statusReply(h, status)); };
  auto succeed = [&](uint16_t code, cm::ReplyBody body) {
    reply.header.reply = code;
    reply.body = std::move(body);
    return cm::encodeReply(reply);
  };
  // Commands whose reply grew in chrony 4.4: the longer layout only if the client made room.
  auto wide = [&](uint16_t wide_code) { return request.wire_length >= cm::replyLength(wide_code); };

  switch (command) {
    case cm::cmd::kNSources:
      return succeed(cm::rpy::kNSources,
                     cm::NSourcesReply{static_cast<uint32_t>(backend_.sources().size())});
    case cm::cmd::kSourceData:
    case cm::cmd::kSourceStats: {
      const uint32_t index = std::get<uint32_t>(request.body);
      const std::vector<SourceReport> sources = backend_.sources();
      if (index >= sources.size()) return fail(cm::Status::kNoSuchSource);
      if (command == cm::cmd::kSourceData) {
        return succeed(cm::rpy::kSourceData, toSourceDataReply(sources[index]));
      }
      return succeed(cm::rpy::kSourceStats, toSourceStatsReply(sources[index]));
    }
    case cm::cmd::kNtpSourceName: {
      const auto& address = std::get<cm::CmdAddress>(request.body);
      for (const SourceReport& s : backend_.sources()) {
        if (!sourceMatches(s, address)) continue;
        const std::string name = !s.name.empty() ? s.name
                                 : s.address     ? s.address->toString()
                                                 : address.toString();
        return succeed(cm::rpy::kNtpSourceName, cm::NtpSourceNameReply{name});
      }
      return fail(cm::Status::kNoSuchSource);
    }
    case cm::cmd::kTracking:
      return succeed(cm::rpy::kTracking, toTrackingReply(backend_.tracking()));
    case cm::cmd::kServerStats: {
      const CommandCounters c = counters();
      // This request is counted as received already; it is not dropped.
      return succeed(wide(cm::rpy::kServerStats4) ? cm::rpy::kServerStats4 : cm::rpy::kServerStats3,
                     toServerStatsReply(backend_.serving(), c.received, c.dropped));
    }
    case cm::cmd::kActivity:
      return succeed(cm::rpy::kActivity, toActivityReply(backend_.activity()));
    case cm::cmd::kClientAccessesByIndex3: {
      const auto& q = std::get<cm::ClientAccessesQuery>(request.body);
      // Resetting counters changes state: only over the unix socket.
      if (q.reset && transport != Transport::kUnix) return fail(cm::Status::kUnauthorised);
      ClientQuery query;
      query.first_index = q.first_index;
      query.max_clients = std::min<uint32_t>(q.max_clients, cm::kMaxClientRecords);
      query.min_hits = q.min_hits;
      query.reset = q.reset;
      return succeed(cm::rpy::kClientAccessesByIndex3,
                     toClientAccessesReply(backend_.clients(query)));
    }
    case cm::cmd::kNtpData: {
      const auto& address = std::get<cm::CmdAddress>(request.body);
      if (!address.isIp()) return fail(cm::Status::kNoSuchSource);
      const std::optional<NtpDataReport> report = backend_.ntpData(address.ip);
      if (!report) return fail(cm::Status::kNoSuchSource);
      return succeed(wide(cm::rpy::kNtpData2) ? cm::rpy::kNtpData2 : cm::rpy::kNtpData,
                     toNtpDataReply(*report));
    }
    case cm::cmd::kMakeStep:
    case cm::cmd::kModifyMakestep: {
      CommandResult result;
      if (command == cm::cmd::kMakeStep) {
        result = backend_.makestep();
      } else {
        const auto& p = std::get<cm::MakestepParams>(request.body);
        result = backend_.setMakestep(common::nanosFromSeconds(p.threshold_s), p.limit);
      }
      switch (result) {
        case CommandResult::kOk:
          return cm::encodeReply(reply);
        case CommandResult::kFailed:
          return fail(cm::Status::kFailed);
        case CommandResult::kNotSupported:
          return fail(cm::Status::kNotEnabled);
      }
      return fail(cm::Status::kFailed);
    }
    case cm::cmd::kStrataWorkerData: {
      const uint32_t index = std::get<uint32_t>(request.body);
      const ServingReport serving = backend_.serving();
      if (index >= serving.workers.size()) return fail(cm::Status::kNoSuchSource);
      return succeed(
          cm::rpy::kStrataWorkerData,
          toWorkerDataReply(serving.workers[index], static_cast<uint32_t>(serving.workers.size())));
    }
    case cm::cmd::kRtcReport:
    case cm::cmd::kTrimRtc:
    case cm::cmd::kWriteRtc:
      return fail(cm::Status::kNoRtc);
    default:
      return fail(cm::Status::kNotEnabled);
  }
}

}  // namespace strata::server::control
