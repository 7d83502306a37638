#include "tools/strataperf/options.h"

#include <boost/program_options.hpp>
#include <cmath>
#include <sstream>

namespace strata::perf {

namespace po = boost::program_options;

const char* runModeName(RunMode mode) {
  switch (mode) {
    case RunMode::kBasic:
      return "basic";
    case RunMode::kInterleaved:
      return "interleaved";
    case RunMode::kMixed:
      return "mixed";
  }
  return "?";
}

ClientMode clientModeFor(RunMode mode, uint64_t index) {
  if (mode == RunMode::kInterleaved) return ClientMode::kInterleaved;
  if (mode == RunMode::kMixed && (index & 1)) return ClientMode::kInterleaved;
  return ClientMode::kBasic;
}

uint64_t usableAddresses(const common::Subnet& subnet) {
  int width = subnet.base().isV4() ? 32 : 128;
  int host_bits = width - subnet.prefixLength();
  if (host_bits > 24) return uint64_t{1} << 24;
  uint64_t hosts = uint64_t{1} << host_bits;
  return host_bits <= 1 ? hosts : hosts - 2;
}

common::IpAddress clientAddress(const common::Subnet& subnet, uint64_t index) {
  int width = subnet.base().isV4() ? 32 : 128;
  uint64_t offset = (width - subnet.prefixLength() <= 1) ? index : index + 1;
  if (subnet.base().isV4())
    return common::IpAddress::v4(subnet.base().v4HostOrder() + static_cast<uint32_t>(offset));
  std::array<uint8_t, 16> bytes = subnet.base().bytes();
  // Add the offset to the low 64 bits (big-endian), carrying.
  for (int i = 15; i >= 0 && offset; --i) {
    uint64_t sum = bytes[i] + (offset & 0xFF);
    bytes[i] = static_cast<uint8_t>(sum);
    offset = (offset >> 8) + (sum >> 8);
  }
  return common::IpAddress::v6(bytes);
}

namespace {

common::Error usage(const std::string& message) { return common::makeError(message); }

}  // namespace

common::Result<Options> parseCommandLine(int argc, const char* const* argv) {
  Options o;
  std::string rate_text = "1000-1000000";
  std::string mode_text = "basic";
  std::string source_text;
  std::string server_text;
  double clients_d = 256;

  po::options_description desc(
      "Usage: strataperf [OPTIONS] SERVER[:PORT]\n"
      "       strataperf --plot FILE.svg --from A.json [--from B.json ...]\n\n"
      "Offers an NTP server open-loop load from many simulated clients on a rate ladder and\n"
      "measures loss and the error of the server's receive and transmit timestamps against\n"
      "this host's kernel timestamps. By default the server must be on this host (loopback,\n"
      "a local address, or across a veth pair into a network namespace).\n\nOptions");
  // clang-format off
  desc.add_options()
    ("help,h", "this help")
    ("version", "print the version")
    ("rate,r", po::value(&rate_text), "R (hold one rate) or MIN-MAX (ladder), requests/s; k and M "
                                      "suffixes (default 1000-1000000)")
    ("step", po::value(&o.step), "ladder multiplier per step (default 1.5)")
    ("time,t", po::value(&o.step_time_s), "seconds per step (default 2)")
    ("grace", po::value(&o.grace_s), "seconds to wait for replies after each step; later "
                                     "ones are not counted (default 0.2)")
    ("clients,c", po::value(&clients_d), "simulated clients, each its own source address "
                                         "(default 256, at most 1000000)")
    ("source", po::value(&source_text), "NET/BITS: client addresses (default 127.0.0.0/8 "
                                        "for an IPv4 server on loopback); must be local")
    ("sockets", po::value(&o.sockets), "sockets (source ports) per thread (default 4)")
    ("threads", po::value(&o.threads), "sender/receiver thread pairs (default 1)")
    ("batch", po::value(&o.batch), "datagrams per sendmmsg/recvmmsg (default 32)")
    ("tx-sample", po::value(&o.tx_sample), "kernel TX timestamp for every Nth request "
                                           "(default 1 = all)")
    ("mode", po::value(&mode_text), "basic, interleaved (RFC 9769 client) or mixed "
                                    "(default basic)")
    ("max-loss", po::value(&o.max_loss_pct), "stop the ladder above this loss, % (default 50)")
    ("hw", po::value(&o.hw_interface), "IFACE: NIC hardware timestamps; the NIC's PHC and the "
                                       "server's clock must be synchronized")
    ("label", po::value(&o.label), "name of this run in plots (default: the server address)")
    ("csv", po::value(&o.csv_path), "FILE: write the steps as CSV")
    ("json", po::value(&o.json_path), "FILE: write the run as JSON (input for --from)")
    ("plot", po::value(&o.plot_path), "FILE.svg: loss and timestamp errors against rate")
    ("from", po::value(&o.plot_inputs), "FILE.json: a saved run to overlay in --plot "
                                        "(repeatable)")
    ("quiet,q", po::bool_switch(&o.quiet), "no table on the terminal")
    ("server", po::value(&server_text), "the server (same as the positional argument)");
  // clang-format on
  po::positional_options_description pos;
  pos.add("server", 1);

  std::ostringstream help;
  help << desc;
  o.help_text = help.str();

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return usage(e.what());
  }
  if (vm.count("help")) {
    o.help = true;
    return o;
  }
  if (vm.count("version")) {
    o.version = true;
    return o;
  }

  if (!server_text.empty()) {
    auto server = common::SocketAddress::parse(server_text, 123);
    if (!server || server->ip.isAny() || server->port == 0) {
      return usage("bad server address '" + server_text +
                   "': expected an IP address with an optional port, like 127.0.0.1:123 or "
                   "[::1]:123 (host names are not resolved)");
    }
    o.server = *server;
  }
  if (!o.server) {
    if (o.plot_path.empty() || o.plot_inputs.empty()) {
      return usage(
          "no server given (strataperf SERVER[:PORT]; or --plot FILE --from RUN.json "
          "to only draw saved runs)");
    }
    return o;
  }

  auto rate = parseRateRange(rate_text);
  if (!rate) return usage("--rate: " + rate.error().message);
  o.rate = *rate;
  if (!(o.step > 1.0) || o.step > 100) return usage("--step must be above 1 and at most 100");
  if (!(o.step_time_s >= 0.1) || o.step_time_s > 600) {
    return usage("--time must be between 0.1 and 600 seconds");
  }
  if (!(o.grace_s >= 0) || o.grace_s > 10) {
    return usage("--grace must be between 0 and 10 seconds");
  }
  if (!(clients_d >= 1) || clients_d != std::floor(clients_d) ||
      clients_d > static_cast<double>(kMaxClients)) {
    return usage("--clients must be a whole number from 1 to 1000000");
  }
  o.clients = static_cast<uint64_t>(clients_d);
  if (o.sockets < 1 || o.sockets > 1024) return usage("--sockets must be from 1 to 1024");
  if (o.threads < 1 || o.threads > 64) return usage("--threads must be from 1 to 64");
  if (o.batch < 1 || o.batch > 1024) return usage("--batch must be from 1 to 1024");
  if (o.tx_sample < 1) return usage("--tx-sample must be 1 or more");
  if (!(o.max_loss_pct >= 0) || o.max_loss_pct > 100) {
    return usage("--max-loss must be a percentage from 0 to 100");
  }
  if (mode_text == "basic") {
    o.mode = RunMode::kBasic;
  } else if (mode_text == "interleaved" || mode_text == "xleave") {
    o.mode = RunMode::kInterleaved;
  } else if (mode_text == "mixed") {
    o.mode = RunMode::kMixed;
  } else {
    return usage("--mode must be basic, interleaved or mixed, not '" + mode_text + "'");
  }

  if (source_text.empty()) {
    if (o.server->ip.isV4() && o.server->ip.isLoopback()) {
      source_text = "127.0.0.0/8";
    } else if (o.server->ip.isV6() && o.server->ip.isLoopback()) {
      source_text = "::1/128";
    } else {
      return usage(
          "--source NET/BITS is needed for a server that is not on loopback: the "
          "client addresses must be configured on this host");
    }
  }
  auto source = common::Subnet::parse(source_text);
  if (!source || source_text.find('/') == std::string::npos) {
    return usage("bad --source '" + source_text +
                 "': expected NET/BITS, like 127.0.0.0/8 or "
                 "10.99.0.0/16");
  }
  o.source = *source;
  if (o.source.base().isV4() != o.server->ip.isV4()) {
    return usage("--source " + source_text + " and the server " + o.server->ip.toString() +
                 " are of different address families");
  }
  uint64_t usable = usableAddresses(o.source);
  if (o.clients > usable) {
    return usage("--clients " + std::to_string(o.clients) +
                 " needs as many source addresses, "
                 "but --source " +
                 o.source.toString() + " has only " + std::to_string(usable) +
                 " (a client is a distinct source address, as servers key their client logs)");
  }

  double total_s = o.rate.single() ? o.step_time_s + o.grace_s
                                   : RateLadder(o.rate, o.step, o.max_loss_pct).plannedSteps() *
                                         (o.step_time_s + o.grace_s);
  if (total_s > kMaxRunSeconds) {
    return usage("the ladder would run " + std::to_string(static_cast<int>(total_s)) +
                 " s, more than the 3600 s limit: use a larger --step, a shorter --time or a "
                 "narrower --rate");
  }
  if (o.label.empty()) o.label = o.server->toString();
  return o;
}

}  // namespace strata::perf
