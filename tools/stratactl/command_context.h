#pragma once
// What every stratactl monitoring command gets, and the helpers they share: asking the daemon
// with chronyc's error reporting, and naming sources and clients the way chronyc does.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "proto/cmdmon/messages.h"
#include "tools/stratactl/cmdmon_client.h"

namespace strata::tools {

struct CommandContext {
  CmdmonClient& client;
  std::ostream& out;
  std::ostream& err;
  bool csv = false;           // -c: chronyc's CSV
  bool json = false;          // --json
  bool no_dns = false;        // -n: addresses, not names
  bool source_names = false;  // -N: configured source names
};

// Exit statuses of the commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// Sends a request and returns the reply if it succeeded with reply code `expected`. Otherwise
// prints what chronyc prints (its status line, e.g. "501 Not authorised", on stdout; in JSON
// mode on stderr) or the transport error (stderr) and returns nullopt.
std::optional<proto::cmdmon::Reply> ask(CommandContext& ctx, uint16_t command,
                                        proto::cmdmon::RequestBody body, uint16_t expected);
// The same for commands answered by a bare status; prints "200 OK" (or the status) like
// chronyc. Returns true on success.
bool askStatus(CommandContext& ctx, uint16_t command, proto::cmdmon::RequestBody body);

// chronyc's naming of an address in reports:
//  - `refclock`: the printable characters of `ref_id`;
//  - else with -N and `is_source`: the configured name (asked from the daemon), "?" if none;
//  - else with -n or -c: the address;
//  - else its DNS name (or the address), cut to `truncate` characters with a final '>'.
std::string displayName(CommandContext& ctx, const proto::cmdmon::CmdAddress& address,
                        bool refclock, uint32_t ref_id, bool is_source, size_t truncate);

// An address given on the command line: IPv4/IPv6, "ID#nnnnnnnnnn", or a host name.
std::optional<proto::cmdmon::CmdAddress> parseSourceAddress(const std::string& text);

// Prints `title` and a line of '=' as long, unless in CSV mode.
void printHeader(CommandContext& ctx, const std::string& title);

// The commands. `args` are the words after the command name.
int runTracking(CommandContext& ctx, const std::vector<std::string>& args);
int runSources(CommandContext& ctx, const std::vector<std::string>& args);
int runSourceStats(CommandContext& ctx, const std::vector<std::string>& args);
int runSourceName(CommandContext& ctx, const std::vector<std::string>& args);
int runServerStats(CommandContext& ctx, const std::vector<std::string>& args);
int runWorkers(CommandContext& ctx, const std::vector<std::string>& args);
int runClients(CommandContext& ctx, const std::vector<std::string>& args);
int runNtpData(CommandContext& ctx, const std::vector<std::string>& args);
int runActivity(CommandContext& ctx, const std::vector<std::string>& args);
int runMakestep(CommandContext& ctx, const std::vector<std::string>& args);

}  // namespace strata::tools
