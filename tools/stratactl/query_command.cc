#include "tools/stratactl/query_command.h"

#include <netdb.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>

#include "proto/refid.h"
#include "tools/stratactl/ntp_query.h"

namespace strata::tools {

namespace po = boost::program_options;

namespace {

const char* leapName(proto::LeapIndicator leap) {
  switch (leap) {
    case proto::LeapIndicator::kNone:
      return "Normal";
    case proto::LeapIndicator::kInsertSecond:
      return "Insert second";
    case proto::LeapIndicator::kDeleteSecond:
      return "Delete second";
    case proto::LeapIndicator::kUnsynchronized:
      return "Not synchronised";
  }
  return "?";
}

// HOST[:PORT], [IPv6]:PORT, or a host name (resolved, first address).
common::Result<common::SocketAddress> resolve(const std::string& target, uint16_t default_port) {
  if (auto a = common::SocketAddress::parse(target, default_port)) return *a;
  std::string host = target;
  std::string port = std::to_string(default_port);
  if (auto colon = target.rfind(':'); colon != std::string::npos && target.find(':') == colon) {
    host = target.substr(0, colon);
    port = target.substr(colon + 1);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) return common::makeError("cannot resolve " + target + ": " + gai_strerror(rc));
  auto addr = common::SocketAddress::fromSockaddr(res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (!addr) return common::makeError("cannot resolve " + target + ": unusable address");
  return *addr;
}

std::string refIdText(const proto::NtpHeader& h) {
  std::string hex = proto::refIdToHex(h.reference_id);
  if (h.stratum <= 1) return hex + " (" + proto::refIdToText(h.reference_id) + ")";
  if (h.stratum < 16 && h.reference_id != 0) {
    return hex + " (" + common::IpAddress::v4(h.reference_id).toString() + ")";
  }
  return hex;
}

}  // namespace

int runQueryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  po::options_description opts("query options");
  int count = 1;
  double timeout_s = 2.0, interval_s = 1.0;
  int version = 4;
  std::string target;
  bool json = false;
  opts.add_options()("count,n", po::value(&count)->default_value(1), "number of exchanges")(
      "interval,i", po::value(&interval_s)->default_value(1.0), "seconds between exchanges")(
      "timeout,t", po::value(&timeout_s)->default_value(2.0), "seconds to wait for a reply")(
      "version", po::value(&version)->default_value(4), "NTP version of the request (1-4)")(
      "json", po::bool_switch(&json), "print JSON lines")("target", po::value(&target));
  po::positional_options_description pos;
  pos.add("target", 1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    err << "query: " << e.what() << "\nusage: stratactl query HOST[:PORT] [--count N] "
        << "[--interval S] [--timeout S] [--version V] [--json]\n";
    return 2;
  }
  if (target.empty() || count < 1 || timeout_s <= 0 || interval_s < 0 || version < 1 ||
      version > 4) {
    err << "usage: stratactl query HOST[:PORT] [--count N>=1] [--interval S>=0] [--timeout S>0] "
           "[--version 1-4] [--json]\n";
    return 2;
  }
  auto server = resolve(target, 123);
  if (!server) {
    err << "query: " << server.error().message << "\n";
    return 2;
  }
  auto query = NtpQuery::open(*server);
  if (!query) {
    err << "query: " << query.error().message << "\n";
    return 1;
  }
  int good = 0;
  for (int i = 0; i < count; ++i) {
    if (i > 0) usleep(static_cast<useconds_t>(interval_s * 1e6));
    auto r = query->exchange(static_cast<int>(timeout_s * 1000), static_cast<uint8_t>(version));
    if (!r) {
      err << "query " << server->toString() << ": " << r.error().message << "\n";
      continue;
    }
    const proto::NtpHeader& h = r->reply;
    const double offset = common::toSeconds(r->exchange.offset);
    const double delay = common::toSeconds(r->exchange.delay);
    const char* stamps = r->kernel_tx_stamp && r->kernel_rx_stamp ? "kernel" : "daemon";
    if (json) {
      char line[1024];
      std::snprintf(
          line, sizeof line,
          "{\"server\":\"%s\",\"valid\":%s,\"check\":\"%s\",\"stratum\":%d,"
          "\"refid\":\"%s\",\"leap\":\"%s\",\"offset_s\":%.9f,\"delay_s\":%.9f,"
          "\"root_delay_s\":%.9f,\"root_dispersion_s\":%.9f,\"precision\":%d,"
          "\"version\":%d,\"timestamps\":\"%s\"}\n",
          server->toString().c_str(), r->check == proto::ReplyCheck::kOk ? "true" : "false",
          proto::replyCheckName(r->check), h.stratum, proto::refIdToHex(h.reference_id).c_str(),
          leapName(h.leap), offset, delay, common::toSeconds(h.root_delay.toNanos()),
          common::toSeconds(h.root_dispersion.toNanos()), h.precision, h.version, stamps);
      out << line;
    } else {
      char buf[2048];
      std::snprintf(buf, sizeof buf,
                    "Server          : %s\n"
                    "Reply           : %s\n"
                    "Stratum         : %d\n"
                    "Reference ID    : %s\n"
                    "Leap status     : %s\n"
                    "Offset          : %+.9f seconds\n"
                    "Delay           : %.9f seconds\n"
                    "Root delay      : %.9f seconds\n"
                    "Root dispersion : %.9f seconds\n"
                    "Precision       : %d (%.3g seconds)\n"
                    "Version         : %d\n"
                    "Timestamps      : %s\n",
                    server->toString().c_str(),
                    r->check == proto::ReplyCheck::kOk ? "valid" : proto::replyCheckName(r->check),
                    h.stratum, refIdText(h).c_str(), leapName(h.leap), offset, delay,
                    common::toSeconds(h.root_delay.toNanos()),
                    common::toSeconds(h.root_dispersion.toNanos()), h.precision,
                    std::ldexp(1.0, h.precision), h.version, stamps);
      if (i > 0) out << "\n";
      out << buf;
    }
    if (r->check == proto::ReplyCheck::kOk) ++good;
  }
  return good > 0 ? 0 : 1;
}

}  // namespace strata::tools
