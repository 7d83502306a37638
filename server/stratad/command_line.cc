#include "server/stratad/command_line.h"

#include <boost/program_options.hpp>
#include <sstream>

namespace strata::stratad {

namespace po = boost::program_options;

namespace {

po::options_description describe(CommandLine& c) {
  po::options_description d("stratad options");
  d.add_options()
      ("help,h", po::bool_switch(&c.help), "print this help and exit")
      ("version,v", po::bool_switch(&c.version), "print the version and exit")
      ("config,f", po::value<std::string>(), "configuration file (default /etc/strata/strata.conf)")
      ("embedded-config", po::bool_switch(&c.embedded_config),
       "use the embedded default configuration (serves 127.0.0.1:11123)")
      ("no-clock-control,x", po::bool_switch(&c.no_clock_control),
       "never adjust the kernel clock; serve a software-corrected timescale")
      ("debug,d", "foreground, log to stderr (twice: debug messages)")
      ("foreground,n", po::bool_switch(&c.foreground), "do not detach from the terminal")
      ("logfile,l", po::value<std::string>(&c.log_file), "log to this file")
      ("print-config,p", po::bool_switch(&c.print_config),
       "print the effective configuration and exit")
      ("user,u", po::value<std::string>(&c.user), "run as this user after start-up")
      ("ipv4,4", po::bool_switch(&c.ipv4_only), "IPv4 only")
      ("ipv6,6", po::bool_switch(&c.ipv6_only), "IPv6 only")
      ("workers", po::value<int>(), "serving threads (0 = one per CPU)")
      ("config-line", po::value<std::vector<std::string>>(&c.config_lines),
       "configuration lines instead of a file");
  return d;
}

}  // namespace

common::Result<CommandLine> parseCommandLine(int argc, const char* const* argv) {
  CommandLine c;
  // -d may be repeated (-d -d or -dd); count and remove it before Program_options, which
  // keeps only one occurrence of a flag.
  std::vector<const char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i > 0 && a.size() >= 2 && a[0] == '-' && a.find_first_not_of('d', 1) == std::string::npos) {
      c.debug += static_cast<int>(a.size() - 1);
      continue;
    }
    if (a == "--debug") {
      ++c.debug;
      continue;
    }
    args.push_back(argv[i]);
  }
  po::options_description d = describe(c);
  po::positional_options_description pos;
  pos.add("config-line", -1);
  try {
    po::variables_map vm;
    // Short options may be repeated (-d -d); combined (-dd) too.
    po::store(po::command_line_parser(static_cast<int>(args.size()), args.data())
                  .options(d)
                  .positional(pos)
                  .run(),
              vm);
    po::notify(vm);
    if (vm.count("config")) c.config_file = vm["config"].as<std::string>();
    if (vm.count("workers")) {
      c.workers = vm["workers"].as<int>();
      if (*c.workers < 0 || *c.workers > 1024) {
        return common::makeError("--workers: expected 0..1024, got " + std::to_string(*c.workers));
      }
    }
  } catch (const po::error& e) {
    return common::makeError(std::string(e.what()) + " (see stratad --help)");
  }
  if (c.ipv4_only && c.ipv6_only) return common::makeError("-4 and -6 exclude each other");
  if (c.embedded_config && c.config_file) {
    return common::makeError("--embedded-config and -f exclude each other");
  }
  return c;
}

std::string commandLineHelp() {
  CommandLine c;
  std::ostringstream out;
  out << "usage: stratad [options] [configuration lines...]\n\n" << describe(c);
  return out.str();
}

}  // namespace strata::stratad
