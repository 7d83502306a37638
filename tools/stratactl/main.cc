// stratactl: Strata's operator tool. chronyc's monitoring commands over chronyc's protocol
// (same output, -c CSV, plus --json), Strata's `workers`, and the `query` and `hwinfo` tools.
#include <getopt.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/version.h"
#include "tools/stratactl/command_context.h"
#include "tools/stratactl/hwinfo_command.h"
#include "tools/stratactl/query_command.h"

namespace {

using strata::tools::CommandContext;

constexpr const char* kUsage =
    "usage: stratactl [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "Options:\n"
    "  -h HOST     daemon address: a unix socket path or a host (default\n"
    "              /run/strata/stratad.sock, then 127.0.0.1 and ::1); a comma-separated list\n"
    "              is tried in order\n"
    "  -p PORT     UDP command port (default 323)\n"
    "  -4, -6      resolve host names to IPv4 / IPv6 only\n"
    "  -n          print addresses, not host names\n"
    "  -N          print the configured names of sources\n"
    "  -c          CSV output (chronyc's -c)\n"
    "  --json      JSON output\n"
    "  -m          each argument is a whole command\n"
    "  -v, --version, --help\n"
    "\n"
    "Commands (as chronyc's, same output):\n"
    "  tracking                    the system clock's synchronisation\n"
    "  sources [-a] [-v]           time sources (-a: also unresolved, -v: legend)\n"
    "  sourcestats [-a] [-v]       statistics of the sources' samples\n"
    "  sourcename ADDRESS          configured name of a source\n"
    "  ntpdata [ADDRESS]           last NTP exchange with each (or one) source\n"
    "  serverstats                 NTP server counters\n"
    "  clients [-p N] [-r] [-k]    client log (-p: at least N packets, -r: reset)\n"
    "  activity                    how many sources are online/offline\n"
    "  makestep [THRESHOLD LIMIT]  step the clock now, or set the automatic step rule\n"
    "Strata commands:\n"
    "  workers                     per-worker serving statistics\n"
    "  query HOST[:PORT] [...]     ask an NTP server for the time\n"
    "  hwinfo [--json] [IFACE...]  timestamping capabilities of the interfaces\n";

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::vector<std::string> splitWords(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

int runCommand(CommandContext& ctx, const std::vector<std::string>& words) {
  const std::string& name = words[0];
  const std::vector<std::string> args(words.begin() + 1, words.end());
  using namespace strata::tools;
  if (name == "tracking") return runTracking(ctx, args);
  if (name == "sources") return runSources(ctx, args);
  if (name == "sourcestats") return runSourceStats(ctx, args);
  if (name == "sourcename") return runSourceName(ctx, args);
  if (name == "serverstats") return runServerStats(ctx, args);
  if (name == "workers") return runWorkers(ctx, args);
  if (name == "clients") return runClients(ctx, args);
  if (name == "ntpdata") return runNtpData(ctx, args);
  if (name == "activity") return runActivity(ctx, args);
  if (name == "makestep") return runMakestep(ctx, args);
  ctx.err << "stratactl: unknown command \"" << name << "\" (try --help)\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace strata::tools;
  CmdmonClientOptions client_options;
  bool csv = false, json = false, no_dns = false, source_names = false, multi = false;
  static const option kLong[] = {{"json", no_argument, nullptr, 'J'},
                                 {"help", no_argument, nullptr, 'H'},
                                 {"version", no_argument, nullptr, 'v'},
                                 {nullptr, 0, nullptr, 0}};
  int opt;
  while ((opt = getopt_long(argc, argv, "+46acdh:mnNp:v", kLong, nullptr)) != -1) {
    switch (opt) {
      case '4':
        client_options.family = 4;
        break;
      case '6':
        client_options.family = 6;
        break;
      case 'a':
      case 'd':
        break;  // accepted for chronyc compatibility
      case 'c':
        csv = true;
        break;
      case 'h':
        client_options.targets = splitList(optarg);
        break;
      case 'm':
        multi = true;
        break;
      case 'n':
        no_dns = true;
        break;
      case 'N':
        source_names = true;
        break;
      case 'p':
        client_options.port = static_cast<uint16_t>(std::atoi(optarg));
        break;
      case 'J':
        json = true;
        break;
      case 'H':
        std::cout << kUsage;
        return kExitOk;
      case 'v':
        std::cout << "stratactl (Strata) " << strata::kVersion << "\n";
        return kExitOk;
      default:
        std::cerr << kUsage;
        return kExitUsage;
    }
  }
  if (optind >= argc) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  if (csv && json) {
    std::cerr << "stratactl: -c and --json exclude each other\n";
    return kExitUsage;
  }
  std::vector<std::string> rest(argv + optind, argv + argc);
  if (rest[0] == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  // The tools that do not talk to the daemon.
  if (rest[0] == "query" || rest[0] == "hwinfo") {
    const std::vector<std::string> args(rest.begin() + 1, rest.end());
    if (rest[0] == "query") return runQueryCommand(args, std::cout, std::cerr);
    return strata::stratactl::runHwinfoCommand(args, std::cout, std::cerr);
  }
  CmdmonClient client(client_options);
  CommandContext ctx{client, std::cout, std::cerr, csv, json, no_dns, source_names};
  if (auto r = client.open(); !r) {
    std::cerr << "stratactl: " << r.error().message << "\n";
    return kExitFailed;
  }
  if (!multi) return runCommand(ctx, rest);
  int status = kExitOk;
  for (const std::string& command : rest) {
    const std::vector<std::string> words = splitWords(command);
    if (words.empty()) continue;
    status = runCommand(ctx, words);
    if (status != kExitOk) break;
  }
  return status;
}
