// stratactl serverstats (chronyc's) and workers (Strata's per-worker serving statistics).
#include "proto/cmdmon/protocol.h"
#include "proto/cmdmon/reply_codec.h"
#include "tools/stratactl/command_context.h"
#include "tools/stratactl/json_writer.h"
#include "tools/stratactl/report_writer.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

int runServerStats(CommandContext& ctx, const std::vector<std::string>&) {
  auto reply = ctx.client.request(cm::cmd::kServerStats);
  if (!reply) {
    ctx.err << "stratactl: " << reply.error().message << "\n";
    return kExitFailed;
  }
  if (reply->header.status != 0) {
    (ctx.json ? ctx.err : ctx.out) << cm::statusText(reply->header.status) << "\n";
    return kExitFailed;
  }
  // chronyd <= 4.3 answers with 32-bit counters and no timestamp figures; stratad and newer
  // chronyd with all of them.
  const bool wide = reply->header.reply == cm::rpy::kServerStats4;
  if (!wide && reply->header.reply != cm::rpy::kServerStats3) {
    (ctx.json ? ctx.err : ctx.out) << "508 Bad reply from daemon\n";
    return kExitFailed;
  }
  const auto& s = std::get<cm::ServerStatsReply>(reply->body);
  struct Line {
    const char* label;
    const char* key;
    uint64_t value;
  };
  const Line lines[] = {
      {"NTP packets received       : ", "ntp_packets_received", s.ntp_hits},
      {"NTP packets dropped        : ", "ntp_packets_dropped", s.ntp_drops},
      {"Command packets received   : ", "command_packets_received", s.cmd_hits},
      {"Command packets dropped    : ", "command_packets_dropped", s.cmd_drops},
      {"Client log records dropped : ", "client_log_records_dropped", s.log_drops},
      {"NTS-KE connections accepted: ", "nts_ke_connections_accepted", s.nke_hits},
      {"NTS-KE connections dropped : ", "nts_ke_connections_dropped", s.nke_drops},
      {"Authenticated NTP packets  : ", "authenticated_ntp_packets", s.ntp_auth_hits},
      {"Interleaved NTP packets    : ", "interleaved_ntp_packets", s.ntp_interleaved_hits},
      {"NTP timestamps held        : ", "ntp_timestamps_held", s.ntp_timestamps},
      {"NTP timestamp span         : ", "ntp_timestamp_span_s", s.ntp_span_seconds},
      {"NTP daemon RX timestamps   : ", "ntp_daemon_rx_timestamps", s.ntp_daemon_rx_timestamps},
      {"NTP daemon TX timestamps   : ", "ntp_daemon_tx_timestamps", s.ntp_daemon_tx_timestamps},
      {"NTP kernel RX timestamps   : ", "ntp_kernel_rx_timestamps", s.ntp_kernel_rx_timestamps},
      {"NTP kernel TX timestamps   : ", "ntp_kernel_tx_timestamps", s.ntp_kernel_tx_timestamps},
      {"NTP hardware RX timestamps : ", "ntp_hardware_rx_timestamps", s.ntp_hw_rx_timestamps},
      {"NTP hardware TX timestamps : ", "ntp_hardware_tx_timestamps", s.ntp_hw_tx_timestamps},
  };
  const size_t n = wide ? 17 : 11;
  if (ctx.json) {
    JsonWriter j;
    j.beginObject();
    for (size_t i = 0; i < n; ++i) j.field(lines[i].key, lines[i].value);
    j.endObject();
    ctx.out << j.finish();
    return kExitOk;
  }
  ReportWriter w(ctx.csv);
  for (size_t i = 0; i < n; ++i) w.text(lines[i].label).unsignedInt(lines[i].value).text("\n");
  ctx.out << w.finish();
  return kExitOk;
}

int runWorkers(CommandContext& ctx, const std::vector<std::string>&) {
  std::vector<cm::WorkerDataReply> workers;
  for (uint32_t i = 0;; ++i) {
    auto reply = ask(ctx, cm::cmd::kStrataWorkerData, i, cm::rpy::kStrataWorkerData);
    if (!reply) return kExitFailed;
    workers.push_back(std::get<cm::WorkerDataReply>(reply->body));
    if (i + 1 >= workers.back().n_workers) break;
  }
  if (ctx.json) {
    JsonWriter j;
    j.beginObject().key("workers").beginArray();
    for (const auto& w : workers) {
      j.beginObject().field("index", static_cast<uint64_t>(w.index));
      j.key("cpu");
      if (w.cpu < 0) {
        j.null();
      } else {
        j.value(static_cast<int64_t>(w.cpu));
      }
      j.field("received", w.received)
          .field("replied", w.replied)
          .field("dropped", w.dropped)
          .field("rate_limited", w.rate_limited)
          .field("interleaved", w.interleaved)
          .field("kod_sent", w.kod_sent);
      const char* sources[] = {"daemon", "kernel", "hardware"};
      j.key("rx_timestamps").beginObject();
      for (int k = 0; k < 3; ++k) j.field(sources[k], w.rx_stamps[k]);
      j.endObject().key("tx_timestamps").beginObject();
      for (int k = 0; k < 3; ++k) j.field(sources[k], w.tx_stamps[k]);
      j.endObject()
          .field("tx_timestamps_missing", w.tx_stamp_missing)
          .field("tx_timestamps_late", w.tx_stamp_late)
          .field("client_log_recycled", w.client_log_recycled)
          .field("tx_timestamps_shed", w.tx_stamp_shed)
          .field("tx_timestamp_renumberings", w.tx_stamp_renumbered)
          .endObject();
    }
    j.endArray().endObject();
    ctx.out << j.finish();
    return kExitOk;
  }
  // CSV fields: index, cpu, received, replied, dropped, rate limited, interleaved, KoD,
  // RX daemon/kernel/hardware, TX daemon/kernel/hardware, TX missing, TX late, recycled,
  // TX shed, TX renumberings.
  // Text: the main counters in 78 columns (timestamp sources are in -c and --json).
  printHeader(ctx,
              "Wkr CPU    Received     Replied    Dropped  RateLim Interleaved    KoD TX-lost");
  for (const auto& w : workers) {
    ReportWriter r(ctx.csv);
    r.unsignedInt(w.index, 3).text(" ");
    if (w.cpu < 0 && !ctx.csv) {
      r.text("  -");
    } else {
      r.integer(w.cpu, 3);
    }
    r.text(" ").unsignedInt(w.received, 11).text(" ").unsignedInt(w.replied, 11).text(" ");
    r.unsignedInt(w.dropped, 10).text(" ").unsignedInt(w.rate_limited, 8).text(" ");
    r.unsignedInt(w.interleaved, 11).text(" ").unsignedInt(w.kod_sent, 6);
    if (ctx.csv) {
      for (uint64_t v : w.rx_stamps) r.unsignedInt(v);
      for (uint64_t v : w.tx_stamps) r.unsignedInt(v);
      r.unsignedInt(w.tx_stamp_missing)
          .unsignedInt(w.tx_stamp_late)
          .unsignedInt(w.client_log_recycled)
          .unsignedInt(w.tx_stamp_shed)
          .unsignedInt(w.tx_stamp_renumbered);
    } else {
      r.text(" ").unsignedInt(w.tx_stamp_missing, 7).text("\n");
    }
    ctx.out << r.finish();
  }
  return kExitOk;
}

}  // namespace strata::tools
