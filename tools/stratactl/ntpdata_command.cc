// stratactl ntpdata [ADDRESS]: the last NTP exchange with each (or one) source.
#include "proto/cmdmon/protocol.h"
#include "proto/refid.h"
#include "tools/stratactl/command_context.h"
#include "tools/stratactl/json_writer.h"
#include "tools/stratactl/report_writer.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

namespace {

// chronyc's reference ID of an address (IPv4: itself; IPv6: MD5-based; else 0).
uint32_t addressRefId(const cm::CmdAddress& a) {
  return a.isIp() ? proto::refIdFromAddress(a.ip) : 0;
}

const char* stampName(uint8_t c) {
  return c == 'D' ? "daemon" : c == 'K' ? "kernel" : c == 'H' ? "hardware" : "invalid";
}

void printJson(CommandContext& ctx, JsonWriter& j, const cm::NtpDataReply& d, bool v2) {
  j.beginObject()
      .field("remote_address", d.remote_address.toString())
      .field("remote_port", static_cast<unsigned>(d.remote_port));
  j.key("local_address");
  if (d.local_address.isIp()) {
    j.value(d.local_address.toString());
  } else {
    j.null();
  }
  j.field("leap", static_cast<unsigned>(d.leap))
      .field("version", static_cast<unsigned>(d.version))
      .field("mode", static_cast<unsigned>(d.mode))
      .field("stratum", static_cast<unsigned>(d.stratum))
      .field("poll_log2", static_cast<int>(d.poll_log2))
      .field("precision_log2", static_cast<int>(d.precision_log2))
      .field("root_delay_s", d.root_delay_s)
      .field("root_dispersion_s", d.root_dispersion_s)
      .field("reference_id", proto::refIdToHex(d.ref_id))
      .field("reference_time", epochSeconds(d.ref_time))
      .field("offset_s", d.offset_s)
      .field("peer_delay_s", d.peer_delay_s)
      .field("peer_dispersion_s", d.peer_dispersion_s)
      .field("response_time_s", d.response_time_s)
      .field("jitter_asymmetry", d.jitter_asymmetry)
      .field("tests", static_cast<unsigned>(d.flags & cm::kNtpFlagTestsMask))
      .field("interleaved", (d.flags & cm::kNtpFlagInterleaved) != 0)
      .field("authenticated", (d.flags & cm::kNtpFlagAuthenticated) != 0)
      .field("tx_timestamping", stampName(d.tx_tss_char))
      .field("rx_timestamping", stampName(d.rx_tss_char))
      .field("total_tx", static_cast<uint64_t>(d.total_tx_count))
      .field("total_rx", static_cast<uint64_t>(d.total_rx_count))
      .field("total_valid_rx", static_cast<uint64_t>(d.total_valid_count))
      .field("total_good_rx", static_cast<uint64_t>(d.total_good_count));
  if (v2) {
    j.field("total_kernel_tx", static_cast<uint64_t>(d.total_kernel_tx_ts))
        .field("total_kernel_rx", static_cast<uint64_t>(d.total_kernel_rx_ts))
        .field("total_hw_tx", static_cast<uint64_t>(d.total_hw_tx_ts))
        .field("total_hw_rx", static_cast<uint64_t>(d.total_hw_rx_ts));
  }
  j.endObject();
  (void)ctx;
}

std::string report(bool csv, const cm::NtpDataReply& d, bool v2) {
  ReportWriter w(csv);
  w.text("Remote address  : ").str(d.remote_address.toString()).text(" (");
  w.refId(addressRefId(d.remote_address)).text(")\n");
  w.text("Remote port     : ").unsignedInt(d.remote_port).text("\n");
  w.text("Local address   : ").str(d.local_address.toString()).text(" (");
  w.refId(addressRefId(d.local_address)).text(")\n");
  w.text("Leap status     : ").leap(d.leap).text("\n");
  w.text("Version         : ").unsignedInt(d.version).text("\n");
  w.text("Mode            : ").ntpMode(d.mode).text("\n");
  w.text("Stratum         : ").unsignedInt(d.stratum).text("\n");
  w.text("Poll interval   : ").integer(d.poll_log2).text(" (");
  w.fixed(log2ToDouble(d.poll_log2), 0).text(" seconds)\n");
  w.text("Precision       : ").integer(d.precision_log2).text(" (");
  w.fixed(log2ToDouble(d.precision_log2), 9).text(" seconds)\n");
  w.text("Root delay      : ").fixed(d.root_delay_s, 6).text(" seconds\n");
  w.text("Root dispersion : ").fixed(d.root_dispersion_s, 6).text(" seconds\n");
  w.text("Reference ID    : ").refId(d.ref_id).text(" (");
  w.str(d.stratum <= 1 ? refIdText(d.ref_id) : "").text(")\n");
  w.text("Reference time  : ").utcTime(d.ref_time).text("\n");
  w.text("Offset          : ").fixed(d.offset_s, 9, true).text(" seconds\n");
  w.text("Peer delay      : ").fixed(d.peer_delay_s, 9).text(" seconds\n");
  w.text("Peer dispersion : ").fixed(d.peer_dispersion_s, 9).text(" seconds\n");
  w.text("Response time   : ").fixed(d.response_time_s, 9).text(" seconds\n");
  w.text("Jitter asymmetry: ").fixed(d.jitter_asymmetry, 2, true).text("\n");
  w.text("NTP tests       : ").binary(d.flags >> 7, 3).text(" ").binary(d.flags >> 4, 3);
  w.text(" ").binary(d.flags, 4).text("\n");
  w.text("Interleaved     : ").yesNo(d.flags & cm::kNtpFlagInterleaved).text("\n");
  w.text("Authenticated   : ").yesNo(d.flags & cm::kNtpFlagAuthenticated).text("\n");
  w.text("TX timestamping : ").stampSource(d.tx_tss_char).text("\n");
  w.text("RX timestamping : ").stampSource(d.rx_tss_char).text("\n");
  w.text("Total TX        : ").unsignedInt(d.total_tx_count).text("\n");
  w.text("Total RX        : ").unsignedInt(d.total_rx_count).text("\n");
  w.text("Total valid RX  : ").unsignedInt(d.total_valid_count).text("\n");
  w.text("Total good RX   : ").unsignedInt(d.total_good_count).text("\n");
  if (v2) {
    w.text("Total kernel TX : ").unsignedInt(d.total_kernel_tx_ts).text("\n");
    w.text("Total kernel RX : ").unsignedInt(d.total_kernel_rx_ts).text("\n");
    w.text("Total HW TX     : ").unsignedInt(d.total_hw_tx_ts).text("\n");
    w.text("Total HW RX     : ").unsignedInt(d.total_hw_rx_ts).text("\n");
  }
  return w.finish();
}

}  // namespace

int runNtpData(CommandContext& ctx, const std::vector<std::string>& args) {
  std::vector<cm::CmdAddress> remotes;
  const bool specified = !args.empty();
  if (specified) {
    const auto a = parseSourceAddress(args[0]);
    if (!a) {
      ctx.err << "stratactl: could not get address for " << args[0] << "\n";
      return kExitUsage;
    }
    remotes.push_back(*a);
  } else {
    auto n = ask(ctx, cm::cmd::kNSources, {}, cm::rpy::kNSources);
    if (!n) return kExitFailed;
    for (uint32_t i = 0; i < std::get<cm::NSourcesReply>(n->body).n_sources; ++i) {
      auto s = ask(ctx, cm::cmd::kSourceData, i, cm::rpy::kSourceData);
      if (!s) return kExitFailed;
      const auto& d = std::get<cm::SourceDataReply>(s->body);
      if (d.mode != cm::SourceMode::kClient && d.mode != cm::SourceMode::kPeer) continue;
      if (!d.address.isIp()) continue;
      remotes.push_back(d.address);
    }
  }
  JsonWriter j;
  j.beginObject().key("ntpdata").beginArray();
  for (const cm::CmdAddress& remote : remotes) {
    auto reply = ctx.client.request(cm::cmd::kNtpData, remote);
    if (!reply) {
      ctx.err << "stratactl: " << reply.error().message << "\n";
      return kExitFailed;
    }
    if (reply->header.status != 0) {
      (ctx.json ? ctx.err : ctx.out) << cm::statusText(reply->header.status) << "\n";
      return kExitFailed;
    }
    const bool v2 = reply->header.reply == cm::rpy::kNtpData2;
    if (!v2 && reply->header.reply != cm::rpy::kNtpData) {
      (ctx.json ? ctx.err : ctx.out) << "508 Bad reply from daemon\n";
      return kExitFailed;
    }
    const auto& d = std::get<cm::NtpDataReply>(reply->body);
    if (ctx.json) {
      printJson(ctx, j, d, v2);
      continue;
    }
    if (!specified && !ctx.csv) ctx.out << "\n";
    ctx.out << report(ctx.csv, d, v2);
  }
  if (ctx.json) {
    j.endArray().endObject();
    ctx.out << j.finish();
  }
  return kExitOk;
}

}  // namespace strata::tools
