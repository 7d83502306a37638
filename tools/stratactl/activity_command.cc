// stratactl activity (source reachability counts) and makestep (step the clock now, or set
// the automatic step rule).
#include <cstdlib>

#include "proto/cmdmon/protocol.h"
#include "tools/stratactl/command_context.h"
#include "tools/stratactl/json_writer.h"
#include "tools/stratactl/report_writer.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

int runActivity(CommandContext& ctx, const std::vector<std::string>&) {
  auto reply = ask(ctx, cm::cmd::kActivity, {}, cm::rpy::kActivity);
  if (!reply) return kExitFailed;
  const auto& a = std::get<cm::ActivityReply>(reply->body);
  if (ctx.json) {
    JsonWriter j;
    j.beginObject()
        .field("online", static_cast<int64_t>(a.online))
        .field("offline", static_cast<int64_t>(a.offline))
        .field("burst_online", static_cast<int64_t>(a.burst_online))
        .field("burst_offline", static_cast<int64_t>(a.burst_offline))
        .field("unresolved", static_cast<int64_t>(a.unresolved))
        .endObject();
    ctx.out << j.finish();
    return kExitOk;
  }
  ReportWriter w(ctx.csv);
  w.text("200 OK\n");
  // chronyc prints these as unsigned 32-bit numbers.
  w.unsignedInt(static_cast<uint32_t>(a.online)).text(" sources online\n");
  w.unsignedInt(static_cast<uint32_t>(a.offline)).text(" sources offline\n");
  w.unsignedInt(static_cast<uint32_t>(a.burst_online));
  w.text(" sources doing burst (return to online)\n");
  w.unsignedInt(static_cast<uint32_t>(a.burst_offline));
  w.text(" sources doing burst (return to offline)\n");
  w.unsignedInt(static_cast<uint32_t>(a.unresolved)).text(" sources with unknown address\n");
  ctx.out << w.finish();
  return kExitOk;
}

int runMakestep(CommandContext& ctx, const std::vector<std::string>& args) {
  if (args.empty()) return askStatus(ctx, cm::cmd::kMakeStep, {}) ? kExitOk : kExitFailed;
  cm::MakestepParams p;
  char* end1 = nullptr;
  char* end2 = nullptr;
  if (args.size() == 2) {
    p.threshold_s = std::strtod(args[0].c_str(), &end1);
    p.limit = static_cast<int32_t>(std::strtol(args[1].c_str(), &end2, 10));
  }
  if (args.size() != 2 || *end1 != '\0' || *end2 != '\0' || args[0].empty() || args[1].empty()) {
    ctx.err << "usage: stratactl makestep [THRESHOLD LIMIT]\n";
    return kExitUsage;
  }
  return askStatus(ctx, cm::cmd::kModifyMakestep, p) ? kExitOk : kExitFailed;
}

}  // namespace strata::tools
