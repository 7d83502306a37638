// stratactl clients: the server's client log, page by page, as chronyc prints it.
#include <cstdlib>

#include "proto/cmdmon/protocol.h"
#include "tools/stratactl/command_context.h"
#include "tools/stratactl/json_writer.h"
#include "tools/stratactl/report_writer.h"

namespace strata::tools {

namespace cm = proto::cmdmon;

int runClients(CommandContext& ctx, const std::vector<std::string>& args) {
  cm::ClientAccessesQuery q;
  bool nke = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "-k") {
      nke = true;
    } else if (args[i] == "-r") {
      q.reset = true;
    } else if (args[i] == "-p") {
      char* end = nullptr;
      if (i + 1 >= args.size() ||
          (q.min_hits = std::strtoul(args[i + 1].c_str(), &end, 10), *end)) {
        ctx.err << "stratactl: invalid syntax for clients command\n";
        return kExitUsage;
      }
      ++i;
    }
  }
  if (!ctx.json) {
    printHeader(ctx, std::string("Hostname                      NTP   Drop Int IntL Last  ") +
                         (nke ? "NTS-KE" : "   Cmd") + "   Drop Int  Last");
  }
  JsonWriter j;
  j.beginObject().key("clients").beginArray();
  for (;;) {
    q.max_clients = cm::kMaxClientRecords;
    auto reply = ask(ctx, cm::cmd::kClientAccessesByIndex3, q, cm::rpy::kClientAccessesByIndex3);
    if (!reply) return kExitFailed;
    const auto& page = std::get<cm::ClientAccessesReply>(reply->body);
    for (const cm::ClientAccessRecord& c : page.clients) {
      if (c.address.family == cm::AddressFamily::kUnspec) continue;
      const std::string name = displayName(ctx, c.address, false, 0, false, 25);
      if (ctx.json) {
        auto interval = [&](const char* key, int8_t v) {
          j.key(key);
          if (v >= cm::kNoInterval) {
            j.null();
          } else {
            j.value(static_cast<int64_t>(v));
          }
        };
        auto ago = [&](const char* key, uint32_t v) {
          j.key(key);
          if (v == cm::kNever) {
            j.null();
          } else {
            j.value(static_cast<uint64_t>(v));
          }
        };
        j.beginObject()
            .field("address", c.address.toString())
            .field("name", name)
            .field("ntp_packets", static_cast<uint64_t>(c.ntp_hits))
            .field("ntp_dropped", static_cast<uint64_t>(c.ntp_drops));
        interval("ntp_interval_log2", c.ntp_interval_log2);
        interval("ntp_rate_limit_interval_log2", c.ntp_timeout_interval_log2);
        ago("ntp_last_ago_s", c.last_ntp_hit_ago_s);
        j.field("command_packets", static_cast<uint64_t>(c.cmd_hits))
            .field("command_dropped", static_cast<uint64_t>(c.cmd_drops));
        interval("command_interval_log2", c.cmd_interval_log2);
        ago("command_last_ago_s", c.last_cmd_hit_ago_s);
        j.endObject();
        continue;
      }
      ReportWriter w(ctx.csv);
      w.str(name, 25, true).text("  ").unsignedInt(c.ntp_hits, 6).text("  ");
      w.unsignedInt(c.ntp_drops, 5).text("  ").clientInterval(c.ntp_interval_log2).text("  ");
      w.clientInterval(c.ntp_timeout_interval_log2).text("  ").interval(c.last_ntp_hit_ago_s);
      w.text("  ").unsignedInt(nke ? c.nke_hits : c.cmd_hits, 6).text("  ");
      w.unsignedInt(nke ? c.nke_drops : c.cmd_drops, 5).text("  ");
      w.clientInterval(nke ? c.nke_interval_log2 : c.cmd_interval_log2).text("  ");
      w.interval(nke ? c.last_nke_hit_ago_s : c.last_cmd_hit_ago_s).text("\n");
      ctx.out << w.finish();
    }
    q.first_index = page.next_index;
    if (page.next_index >= page.n_indices || page.clients.size() < cm::kMaxClientRecords) break;
  }
  if (ctx.json) {
    j.endArray().endObject();
    ctx.out << j.finish();
  }
  return kExitOk;
}

}  // namespace strata::tools
