#include "tools/stratactl/hwinfo_command.h"

#include <linux/net_tstamp.h>

#include <cstdio>
#include <ostream>
#include <sstream>

#include "hwts/hwtstamp_setup.h"
#include "hwts/system_discovery.h"
#include "hwts/ts_names.h"

namespace strata::stratactl {

namespace {

using hwts::HardwareSupport;
using hwts::InterfaceReport;
using hwts::TimestampingInfo;

constexpr int kLabelWidth = 22;
constexpr size_t kLineWidth = 79;

void printUsage(std::ostream& out) {
  out << "Usage: stratactl hwinfo [--json] [IFACE...]\n"
         "Show what network interfaces can do for packet timestamping: whether hardware\n"
         "timestamping (hwtimestamp) can work, the NIC's clock (PHC), the SO_TIMESTAMPING\n"
         "capabilities, TX types and RX filters the driver offers, and the link speed.\n"
         "Without IFACE, every interface is shown.\n"
         "  --json   machine-readable output\n";
}

// "Label : value", wrapping a list of words over several lines under the value column.
void printField(std::ostream& out, std::string_view label, const std::vector<std::string>& words,
                std::string_view empty = "none") {
  std::string line = "  " + std::string(label);
  line.resize(2 + kLabelWidth, ' ');
  line += ": ";
  const size_t indent = line.size();
  if (words.empty()) {
    out << line << empty << '\n';
    return;
  }
  bool first_on_line = true;
  for (const std::string& word : words) {
    if (!first_on_line && line.size() + 1 + word.size() > kLineWidth) {
      out << line << '\n';
      line.assign(indent, ' ');
      first_on_line = true;
    }
    if (!first_on_line) line += ' ';
    line += word;
    first_on_line = false;
  }
  out << line << '\n';
}

// A free-text value, wrapped at spaces.
void printField(std::ostream& out, std::string_view label, const std::string& value) {
  std::vector<std::string> words;
  std::istringstream in(value);
  for (std::string w; in >> w;) words.push_back(w);
  printField(out, label, words);
}

std::string supportWord(HardwareSupport s) {
  switch (s) {
    case HardwareSupport::kNone:
      return "none";
    case HardwareSupport::kTxOnly:
      return "tx-only";
    case HardwareSupport::kTxRx:
      return "tx-rx";
  }
  return "none";
}

// The RX filter `hwtimestamp IFACE` would try first.
std::string plannedFilter(const TimestampingInfo& info) {
  auto plan = hwts::planRxFilters(hwts::RxFilterChoice::kAny, info);
  return hwts::describeRxFilter(plan.front());
}

std::string verdict(const TimestampingInfo& info) {
  switch (hwts::assessHardwareSupport(info)) {
    case HardwareSupport::kNone:
      return "no (software timestamps only)";
    case HardwareSupport::kTxOnly:
      return "TX only (no RX filter that stamps NTP packets)";
    case HardwareSupport::kTxRx:
      return "yes, TX and RX (RX filter " + plannedFilter(info) + ")";
  }
  return "?";
}

// Discovery joins the sources' errors with "; ".
bool everySourceSaysUnsupported(const std::string& errors) {
  if (errors.empty()) return false;
  for (size_t start = 0; start < errors.size();) {
    size_t end = errors.find("; ", start);
    if (end == std::string::npos) end = errors.size();
    if (errors.substr(start, end - start).find("Operation not supported") == std::string::npos) {
      return false;
    }
    start = end + 2;
  }
  return true;
}

std::string linkText(const InterfaceReport& r) {
  if (!r.link) {
    // Every source said EOPNOTSUPP: the driver has no link settings (lo, tunnels, ifb).
    if (everySourceSaysUnsupported(r.link_error)) return "not reported by the driver";
    return "unknown (" + r.link_error + ")";
  }
  std::string text = r.link->speed_mbps ? std::to_string(*r.link->speed_mbps) + " Mb/s"
                                        : std::string("speed unknown");
  switch (r.link->duplex) {
    case hwts::Duplex::kFull:
      text += ", full duplex";
      break;
    case hwts::Duplex::kHalf:
      text += ", half duplex";
      break;
    case hwts::Duplex::kUnknown:
      text += ", duplex unknown";
      break;
  }
  return text;
}

std::string duplexWord(hwts::Duplex d) {
  switch (d) {
    case hwts::Duplex::kFull:
      return "full";
    case hwts::Duplex::kHalf:
      return "half";
    case hwts::Duplex::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string jsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string jsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + jsonString(items[i]);
  return out + "]";
}

}  // namespace

void printHwinfoText(const std::vector<InterfaceReport>& reports, std::ostream& out) {
  int capable = 0;
  for (size_t i = 0; i < reports.size(); ++i) {
    const InterfaceReport& r = reports[i];
    if (i > 0) out << '\n';
    out << r.iface.name << " (ifindex " << r.iface.index << ")\n";
    if (!r.timestamping) {
      printField(out, "Hardware timestamping", "unknown (" + r.timestamping_error + ")");
      printField(out, "Link", linkText(r));
      continue;
    }
    const TimestampingInfo& ts = *r.timestamping;
    if (hwts::assessHardwareSupport(ts) != HardwareSupport::kNone) ++capable;
    printField(out, "Hardware timestamping", verdict(ts));
    printField(out, "PHC",
               ts.phc_index ? hwts::phcPathForIndex(*ts.phc_index) : std::string("none"));
    printField(out, "Capabilities", hwts::sofFlagNames(ts.so_timestamping));
    printField(out, "TX types", hwts::txTypeNames(ts.tx_types));
    printField(out, "RX filters", hwts::rxFilterNames(ts.rx_filters));
    printField(out, "Link", linkText(r));
    printField(out, "Source", r.timestamping_source);
  }
  if (reports.size() > 1) {
    out << '\n' << reports.size() << " interfaces, " << capable << " with hardware timestamping\n";
  }
}

void printHwinfoJson(const std::vector<InterfaceReport>& reports, std::ostream& out) {
  out << "{\n  \"interfaces\": [";
  for (size_t i = 0; i < reports.size(); ++i) {
    const InterfaceReport& r = reports[i];
    out << (i ? ",\n" : "\n") << "    {\n";
    out << "      \"name\": " << jsonString(r.iface.name) << ",\n";
    out << "      \"ifindex\": " << r.iface.index << ",\n";
    if (r.timestamping) {
      const TimestampingInfo& ts = *r.timestamping;
      out << "      \"hardware_timestamping\": "
          << jsonString(supportWord(hwts::assessHardwareSupport(ts))) << ",\n";
      if (ts.phc_index) {
        out << "      \"phc_index\": " << *ts.phc_index << ",\n";
        out << "      \"phc\": " << jsonString(hwts::phcPathForIndex(*ts.phc_index)) << ",\n";
      } else {
        out << "      \"phc_index\": null,\n      \"phc\": null,\n";
      }
      out << "      \"capabilities\": " << jsonList(hwts::sofFlagNames(ts.so_timestamping))
          << ",\n";
      out << "      \"tx_types\": " << jsonList(hwts::txTypeNames(ts.tx_types)) << ",\n";
      out << "      \"rx_filters\": " << jsonList(hwts::rxFilterNames(ts.rx_filters)) << ",\n";
      out << "      \"source\": " << jsonString(r.timestamping_source) << ",\n";
      out << "      \"error\": null,\n";
    } else {
      out << "      \"hardware_timestamping\": null,\n      \"phc_index\": null,\n"
             "      \"phc\": null,\n      \"capabilities\": null,\n      \"tx_types\": null,\n"
             "      \"rx_filters\": null,\n      \"source\": null,\n";
      out << "      \"error\": " << jsonString(r.timestamping_error) << ",\n";
    }
    if (r.link) {
      out << "      \"link\": {\"speed_mbps\": "
          << (r.link->speed_mbps ? std::to_string(*r.link->speed_mbps) : "null")
          << ", \"duplex\": " << jsonString(duplexWord(r.link->duplex)) << ", \"error\": null}\n";
    } else {
      out << "      \"link\": {\"speed_mbps\": null, \"duplex\": null, \"error\": "
          << jsonString(r.link_error) << "}\n";
    }
    out << "    }";
  }
  out << (reports.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

int runHwinfoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                     hwts::Discovery& discovery) {
  bool json = false;
  std::vector<std::string> names;
  for (const std::string& arg : args) {
    if (arg == "--json") {
      json = true;
    } else if (arg == "-h" || arg == "--help") {
      printUsage(out);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      err << "hwinfo: unknown option '" << arg << "'\n";
      printUsage(err);
      return 2;
    } else {
      names.push_back(arg);
    }
  }

  std::vector<InterfaceReport> reports;
  int status = 0;
  if (names.empty()) {
    auto all = discovery.probeAll();
    if (!all) {
      err << "hwinfo: " << all.error().message << '\n';
      return 1;
    }
    reports = std::move(*all);
  } else {
    for (const std::string& name : names) {
      auto report = discovery.probe(name);
      if (!report) {
        err << "hwinfo: " << report.error().message << '\n';
        status = 1;
        continue;
      }
      reports.push_back(std::move(*report));
    }
  }
  if (json) {
    printHwinfoJson(reports, out);
  } else {
    printHwinfoText(reports, out);
  }
  return status;
}

int runHwinfoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  hwts::SystemDiscovery system;
  return runHwinfoCommand(args, out, err, system.discovery());
}

}  // namespace strata::stratactl
