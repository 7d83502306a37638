// stratactl sources / sourcestats / sourcename: the time sources, as chronyc prints them.
#include "proto/cmdmon/protocol.h"
#include "tools/stratactl/command_context.h"
#include "tools/stratactl/json_writer.h"
#include "tools/stratactl/report_writer.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

namespace {

struct ListOptions {
  bool all = false;      // -a: also sources without an address yet
  bool verbose = false;  // -v: a legend first
};

ListOptions parseListOptions(const CommandContext& ctx, const std::vector<std::string>& args) {
  ListOptions o;
  for (const std::string& a : args) {
    if (a == "-a") o.all = true;
    if (a == "-v") o.verbose = !ctx.csv && !ctx.json;
  }
  return o;
}

char modeChar(cm::SourceMode m) {
  switch (m) {
    case cm::SourceMode::kClient:
      return '^';
    case cm::SourceMode::kPeer:
      return '=';
    case cm::SourceMode::kRefclock:
      return '#';
  }
  return ' ';
}

const char* modeName(cm::SourceMode m) {
  switch (m) {
    case cm::SourceMode::kClient:
      return "server";
    case cm::SourceMode::kPeer:
      return "peer";
    case cm::SourceMode::kRefclock:
      return "refclock";
  }
  return "unknown";
}

char stateChar(cm::SourceState s) {
  switch (s) {
    case cm::SourceState::kSelected:
      return '*';
    case cm::SourceState::kNonSelectable:
      return '?';
    case cm::SourceState::kFalseticker:
      return 'x';
    case cm::SourceState::kJittery:
      return '~';
    case cm::SourceState::kUnselected:
      return '+';
    case cm::SourceState::kSelectable:
      return '-';
  }
  return ' ';
}

const char* stateName(cm::SourceState s) {
  switch (s) {
    case cm::SourceState::kSelected:
      return "selected";
    case cm::SourceState::kNonSelectable:
      return "unusable";
    case cm::SourceState::kFalseticker:
      return "falseticker";
    case cm::SourceState::kJittery:
      return "jittery";
    case cm::SourceState::kUnselected:
      return "combined";
    case cm::SourceState::kSelectable:
      return "not_combined";
  }
  return "unknown";
}

std::optional<uint32_t> sourceCount(CommandContext& ctx) {
  auto n = ask(ctx, cm::cmd::kNSources, {}, cm::rpy::kNSources);
  if (!n) return std::nullopt;
  return std::get<cm::NSourcesReply>(n->body).n_sources;
}

void sourcesLegend(std::ostream& out) {
  // The bars point at the columns of the rows below (Poll, Reach, LastRx, Last sample).
  out << "\n"
         "  .-- How the source is used: '^' server, '=' peer, '#' local reference clock.\n"
         " / .- Selection: '*' synchronised to, '+' combined with it, '-' acceptable but\n"
         "| /   not combined, 'x' outvoted by the others, '~' too variable, '?' unusable.\n"
         "||                                                  .- xxxx [ yyyy ] +/- zzzz\n"
         "||                Seconds since the last sample -.  |  xxxx = offset now,\n"
         "||         Reachability of 8 polls, octal -.     |  |  yyyy = offset measured,\n"
         "||      Poll interval, log2 seconds -.     |     |  |  zzzz = error bound.\n"
         "||                                   |     |     |  |\n";
}

void sourceStatsLegend(std::ostream& out) {
  out << "Columns: NP samples kept, NR runs of residuals with the same sign, Span the\n"
         "time they cover; Frequency of the source relative to this clock (ppm) and its\n"
         "error bound (Freq Skew); Offset of this clock from the source now (+ = ahead)\n"
         "and the standard deviation (Std Dev) of the samples.\n\n";
}

}  // namespace

int runSources(CommandContext& ctx, const std::vector<std::string>& args) {
  const ListOptions opt = parseListOptions(ctx, args);
  const auto n = sourceCount(ctx);
  if (!n) return kExitFailed;
  if (opt.verbose) sourcesLegend(ctx.out);
  if (!ctx.json) {
    printHeader(ctx,
                "MS Name/IP address         Stratum Poll Reach LastRx Last sample               ");
  }
  JsonWriter j;
  j.beginObject().key("sources").beginArray();
  for (uint32_t i = 0; i < *n; ++i) {
    auto reply = ask(ctx, cm::cmd::kSourceData, i, cm::rpy::kSourceData);
    if (!reply) return kExitFailed;
    const auto& s = std::get<cm::SourceDataReply>(reply->body);
    if (!opt.all && s.address.family == cm::AddressFamily::kId) continue;
    const bool ref =
        s.mode == cm::SourceMode::kRefclock && s.address.family == cm::AddressFamily::kInet4;
    const std::string name =
        displayName(ctx, s.address, ref, ref ? s.address.ip.v4HostOrder() : 0, true, 25);
    if (ctx.json) {
      j.beginObject()
          .field("mode", modeName(s.mode))
          .field("state", stateName(s.state))
          .field("name", name);
      j.key("address");
      if (s.address.isIp() && !ref) {
        j.value(s.address.toString());
      } else {
        j.null();
      }
      j.field("stratum", static_cast<unsigned>(s.stratum))
          .field("poll_log2", static_cast<int>(s.poll_log2))
          .field("reachability", static_cast<unsigned>(s.reachability));
      j.key("last_sample_ago_s");
      if (s.since_sample_s == cm::kNever) {
        j.null();
      } else {
        j.value(static_cast<uint64_t>(s.since_sample_s));
      }
      j.field("offset_s", s.latest_meas_s)
          .field("measured_offset_s", s.orig_latest_meas_s)
          .field("error_s", s.latest_meas_err_s)
          .endObject();
      continue;
    }
    ReportWriter w(ctx.csv);
    w.chr(modeChar(s.mode)).chr(stateChar(s.state)).text(" ").str(name, 27, true).text("  ");
    w.integer(s.stratum, 2).text("  ").integer(s.poll_log2, 2).text("   ");
    w.octal(s.reachability, 3).text("  ").interval(s.since_sample_s).text("  ");
    w.duration(s.latest_meas_s, true).text("[").duration(s.orig_latest_meas_s, true);
    w.text("] +/- ").duration(s.latest_meas_err_s, false).text("\n");
    ctx.out << w.finish();
  }
  if (ctx.json) {
    j.endArray().endObject();
    ctx.out << j.finish();
  }
  return kExitOk;
}

int runSourceStats(CommandContext& ctx, const std::vector<std::string>& args) {
  const ListOptions opt = parseListOptions(ctx, args);
  const auto n = sourceCount(ctx);
  if (!n) return kExitFailed;
  if (opt.verbose) sourceStatsLegend(ctx.out);
  if (!ctx.json) {
    printHeader(ctx,
                "Name/IP Address            NP  NR  Span  Frequency  Freq Skew  Offset  Std Dev");
  }
  JsonWriter j;
  j.beginObject().key("sourcestats").beginArray();
  for (uint32_t i = 0; i < *n; ++i) {
    auto reply = ask(ctx, cm::cmd::kSourceStats, i, cm::rpy::kSourceStats);
    if (!reply) return kExitFailed;
    const auto& s = std::get<cm::SourceStatsReply>(reply->body);
    if (!opt.all && s.address.family == cm::AddressFamily::kId) continue;
    const bool ref = s.address.family == cm::AddressFamily::kUnspec;
    const std::string name = displayName(ctx, s.address, ref, s.ref_id, true, 25);
    if (ctx.json) {
      j.beginObject().field("name", name);
      j.key("address");
      if (s.address.isIp()) {
        j.value(s.address.toString());
      } else {
        j.null();
      }
      j.field("samples", static_cast<uint64_t>(s.n_samples))
          .field("runs", static_cast<uint64_t>(s.n_runs))
          .field("span_s", static_cast<uint64_t>(s.span_s))
          .field("frequency_ppm", s.resid_freq_ppm)
          .field("frequency_skew_ppm", s.skew_ppm)
          .field("offset_s", s.est_offset_s)
          .field("offset_error_s", s.est_offset_err_s)
          .field("std_dev_s", s.sd_s)
          .endObject();
      continue;
    }
    ReportWriter w(ctx.csv);
    w.str(name, 25, true).text(" ").unsignedInt(s.n_samples, 3).text(" ");
    w.unsignedInt(s.n_runs, 3).text("  ").interval(s.span_s).text(" ");
    w.ppm(s.resid_freq_ppm, true).text(" ").ppm(s.skew_ppm, false).text("  ");
    w.duration(s.est_offset_s, true).text("  ").duration(s.sd_s, false).text("\n");
    ctx.out << w.finish();
  }
  if (ctx.json) {
    j.endArray().endObject();
    ctx.out << j.finish();
  }
  return kExitOk;
}

int runSourceName(CommandContext& ctx, const std::vector<std::string>& args) {
  if (args.size() != 1) {
    ctx.err << "usage: stratactl sourcename ADDRESS\n";
    return kExitUsage;
  }
  const auto address = parseSourceAddress(args[0]);
  if (!address) {
    ctx.err << "stratactl: could not read address " << args[0] << "\n";
    return kExitUsage;
  }
  auto reply = ask(ctx, cm::cmd::kNtpSourceName, *address, cm::rpy::kNtpSourceName);
  if (!reply) return kExitFailed;
  const std::string& name = std::get<cm::NtpSourceNameReply>(reply->body).name;
  if (ctx.json) {
    JsonWriter j;
    j.beginObject().field("name", name).endObject();
    ctx.out << j.finish();
  } else {
    ctx.out << ReportWriter(ctx.csv).str(name).text("\n").finish();
  }
  return kExitOk;
}

}  // namespace strata::tools
