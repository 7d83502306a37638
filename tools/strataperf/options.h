#pragma once
// strataperf's command line: parsing and validation into Options. Pure (no syscalls: checks
// that need the system, like whether the server is on this host, are in target_check.h).
// Thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "tools/strataperf/client_state.h"
#include "tools/strataperf/rate_ladder.h"

namespace strata::perf {

enum class RunMode : uint8_t { kBasic, kInterleaved, kMixed };
const char* runModeName(RunMode mode);
// The protocol mode of client `index` in a run: mixed alternates (even basic, odd interleaved).
ClientMode clientModeFor(RunMode mode, uint64_t index);

inline constexpr uint64_t kMaxClients = 1'000'000;
inline constexpr double kMaxRunSeconds = 3600;  // a whole ladder, grace periods included
inline constexpr double kGraceSeconds = 0.2;    // default --grace, seconds

struct Options {
  bool help = false;
  bool version = false;
  std::string help_text;

  // Measuring (absent in plot-only use: --plot with --from files and no server).
  std::optional<common::SocketAddress> server;
  RateRange rate{1000, 1000000};
  double step = 1.5;
  double step_time_s = 2.0;
  // Waiting for replies after each step's sending ends; replies later than that are not
  // counted (0 counts only replies received while sending: a saturated server's rate then
  // does not depend on how many requests its receive buffer still held).
  double grace_s = kGraceSeconds;
  uint64_t clients = 256;
  common::Subnet source;  // client addresses: the subnet's hosts, first usable one upward
  int sockets = 4;        // per thread, each bound to its own port
  int threads = 1;        // sender/receiver thread pairs
  int batch = 32;         // datagrams per sendmmsg/recvmmsg
  int tx_sample = 1;      // request a kernel TX timestamp for every Nth request
  double max_loss_pct = 50;
  RunMode mode = RunMode::kBasic;
  std::string hw_interface;  // --hw IFACE: NIC hardware timestamps

  // Output.
  std::string label;
  std::string csv_path;
  std::string json_path;
  std::string plot_path;
  std::vector<std::string> plot_inputs;  // --from FILE.json, overlaid in the plot
  bool quiet = false;                    // no table on stdout (files are still written)
};

// Parses argv (argv[0] is skipped). Errors are one clear sentence for the user.
common::Result<Options> parseCommandLine(int argc, const char* const* argv);

// Number of client addresses `subnet` offers: the hosts of the subnet without its network
// and broadcast addresses (/31 and /32, /127 and /128 keep all), capped at 2^24.
uint64_t usableAddresses(const common::Subnet& subnet);
// The address of client `index` (< usableAddresses(subnet)).
common::IpAddress clientAddress(const common::Subnet& subnet, uint64_t index);

}  // namespace strata::perf
