// stratactl tracking: the system clock's discipline, as chronyc prints it.
#include "proto/cmdmon/protocol.h"
#include "proto/refid.h"
#include "tools/stratactl/command_context.h"
#include "tools/stratactl/json_writer.h"
#include "tools/stratactl/report_writer.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

namespace {

std::string leapName(unsigned leap) {
  switch (leap) {
    case 0:
      return "normal";
    case 1:
      return "insert_second";
    case 2:
      return "delete_second";
    case 3:
      return "unsynchronised";
    default:
      return "invalid";
  }
}

}  // namespace

int runTracking(CommandContext& ctx, const std::vector<std::string>&) {
  auto reply = ask(ctx, cm::cmd::kTracking, {}, cm::rpy::kTracking);
  if (!reply) return kExitFailed;
  const auto& t = std::get<cm::TrackingReply>(reply->body);
  const bool ref = t.address.family == cm::AddressFamily::kUnspec;
  const std::string name = displayName(ctx, t.address, ref, t.ref_id, true, 0);

  if (ctx.json) {
    JsonWriter j;
    j.beginObject()
        .field("reference_id", proto::refIdToHex(t.ref_id))
        .field("reference_name", name);
    j.key("reference_address");
    if (t.address.isIp()) {
      j.value(t.address.toString());
    } else {
      j.null();
    }
    j.field("stratum", static_cast<unsigned>(t.stratum))
        .field("ref_time", epochSeconds(t.ref_time))
        .field("system_time_offset_s", t.current_correction_s)
        .field("last_offset_s", t.last_offset_s)
        .field("rms_offset_s", t.rms_offset_s)
        .field("frequency_ppm", t.freq_ppm)
        .field("residual_frequency_ppm", t.resid_freq_ppm)
        .field("skew_ppm", t.skew_ppm)
        .field("root_delay_s", t.root_delay_s)
        .field("root_dispersion_s", t.root_dispersion_s)
        .field("update_interval_s", t.last_update_interval_s)
        .field("leap_status", leapName(t.leap_status))
        .endObject();
    ctx.out << j.finish();
    return kExitOk;
  }

  ReportWriter w(ctx.csv);
  w.text("Reference ID    : ").refId(t.ref_id).text(" (").str(name).text(")\n");
  w.text("Stratum         : ").unsignedInt(t.stratum).text("\n");
  w.text("Ref time (UTC)  : ").utcTime(t.ref_time).text("\n");
  w.text("System time     : ").offsetSlowFast(t.current_correction_s, 9).text(" of NTP time\n");
  w.text("Last offset     : ").fixed(t.last_offset_s, 9, true).text(" seconds\n");
  w.text("RMS offset      : ").fixed(t.rms_offset_s, 9).text(" seconds\n");
  w.text("Frequency       : ").freqFastSlow(t.freq_ppm, 3).text("\n");
  w.text("Residual freq   : ").fixed(t.resid_freq_ppm, 3, true).text(" ppm\n");
  w.text("Skew            : ").fixed(t.skew_ppm, 3).text(" ppm\n");
  w.text("Root delay      : ").fixed(t.root_delay_s, 9).text(" seconds\n");
  w.text("Root dispersion : ").fixed(t.root_dispersion_s, 9).text(" seconds\n");
  w.text("Update interval : ").fixed(t.last_update_interval_s, 1).text(" seconds\n");
  w.text("Leap status     : ").leap(t.leap_status).text("\n");
  ctx.out << w.finish();
  return kExitOk;
}

}  // namespace strata::tools
