// strata-ntp-test-server: an NTP server with controlled errors, for testing NTP clients.
//
//   strata-ntp-test-server --listen 127.0.0.1:12300 --offset 0.037 --drift 50 --jitter 10e-6
//
// Its time is the system clock plus an offset that drifts (ppm) and may step once; every
// reply's timestamps carry a Gaussian error (jitter); requests can be lost, replies
// duplicated or replaced by kiss codes; the leap indicator, stratum and refid are set from
// the command line. It answers interleaved requests (RFC 9769) with kernel transmit
// timestamps. It never touches the system clock.
//
// On start it prints one JSON line with its model (t0 in ns since the epoch, offset, drift,
// step) so that a test can compute the true served time at any system time; on exit
// (SIGINT/SIGTERM or --duration) one JSON line with its counters.
//
// With --probe HOST:PORT (repeatable) it also queries a client that synchronises to it and serves
// NTP itself (stratad, chronyd, ...) and reports how far that client's served time is from this
// server's truth (see probe.h): a JSON line every --probe-report seconds and a summary at
// exit.

#include <linux/net_tstamp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/program_options.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/net_address.h"
#include "common/unique_fd.h"
#include "hwts/cmsg_timestamps.h"
#include "hwts/errqueue_reader.h"
#include "hwts/socket_timestamping.h"
#include "proto/refid.h"
#include "tools/ntp-test-server/probe.h"
#include "tools/ntp-test-server/test_server_core.h"

namespace po = boost::program_options;
using namespace strata;

namespace {

std::atomic<bool> g_stop{false};
void onSignal(int) { g_stop.store(true); }

struct Pending {
  uint64_t receive_raw = 0;
  common::Nanos noise{0};
  common::SysTime tx_read{};
};

void printSummary(const char* what, const std::string& target, const ntptest::Probe& probe,
                  const std::vector<double>& errors, const std::vector<double>& delays) {
  ntptest::ErrorSummary e = ntptest::summarize(errors);
  ntptest::ErrorSummary d = ntptest::summarize(delays);
  std::printf(
      "{\"%s\":\"%s\",\"count\":%zu,\"sent\":%llu,\"interleaved\":%llu,\"unusable\":%llu,"
      "\"delay_rejected\":%llu,"
      "\"error_us\":{\"mean\":%.3f,\"rms\":%.3f,\"min\":%.3f,\"p05\":%.3f,\"median\":%.3f,"
      "\"p95\":%.3f,\"max\":%.3f},\"delay_us\":{\"median\":%.3f,\"p95\":%.3f}}\n",
      what, target.c_str(), e.count, static_cast<unsigned long long>(probe.sent()),
      static_cast<unsigned long long>(probe.interleaved()),
      static_cast<unsigned long long>(probe.unusable()),
      static_cast<unsigned long long>(probe.delayRejected()), e.mean * 1e6, e.rms * 1e6,
      e.min * 1e6, e.p05 * 1e6, e.median * 1e6, e.p95 * 1e6, e.max * 1e6, d.median * 1e6,
      d.p95 * 1e6);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:12300";
  double offset_s = 0, drift_ppm = 0, step_s = 0, step_after_s = -1, duration_s = 3600;
  double root_delay_s = 0, root_dispersion_s = 10e-6;
  std::string kod = "none", leap = "none", refid;
  int stratum = 1, precision = -24;
  uint64_t seed = 1;
  int64_t t0_ns = 0;
  bool no_interleaved = false, no_tx_comp = false, quiet = false;
  std::vector<std::string> probe_targets;
  int probe_poll = -3;
  double probe_settle_s = 0, probe_report_s = 0, probe_max_delay_s = 0;
  ntptest::Behaviour b;
  po::options_description desc(
      "strata-ntp-test-server: an NTP server with controlled errors, for testing clients\n"
      "(it never changes the system clock)\nUsage: strata-ntp-test-server [options]\nOptions");
  desc.add_options()("help,h", "show this help")(
      "listen", po::value(&listen), "address:port to serve on (default 127.0.0.1:12300)")(
      "offset", po::value(&offset_s), "served - system time at start, seconds (default 0)")(
      "drift", po::value(&drift_ppm), "the served time gains this many ppm on the system clock")(
      "jitter", po::value(&b.jitter_s),
      "standard deviation of each reply's timestamp error, seconds (default 0)")(
      "step", po::value(&step_s), "step the served time by this many seconds ...")(
      "step-after", po::value(&step_after_s), "... this many seconds after start")(
      "loss", po::value(&b.loss), "fraction of requests not answered (0..1)")(
      "duplicate", po::value(&b.duplicate), "fraction of replies sent twice (0..1)")(
      "kod", po::value(&kod), "kiss code instead of the reply: none, rate, deny, rstr")(
      "kod-every", po::value(&b.kod_every),
      "send the kiss code for every N-th request (default 1)")(
      "kod-poll", po::value(&b.kod_poll), "poll field of RATE kisses (default: request's + 1)")(
      "leap", po::value(&leap), "leap indicator: none, insert, delete, unsync")(
      "stratum", po::value(&stratum), "stratum (default 1; 16 = unsynchronised)")(
      "refid", po::value(&refid), "reference id: up to 4 characters or an IPv4 address")(
      "precision", po::value(&precision), "precision field, log2 seconds (default -24)")(
      "root-delay", po::value(&root_delay_s), "root delay, seconds (default 0)")(
      "root-dispersion", po::value(&root_dispersion_s), "root dispersion, seconds (default 1e-5)")(
      "no-tx-compensation", po::bool_switch(&no_tx_comp),
      "basic transmit timestamps without the measured send latency")(
      "no-interleaved", po::bool_switch(&no_interleaved),
      "answer interleaved requests in basic mode")("duration", po::value(&duration_s),
                                                   "seconds to run (default 3600, at most 86400)")(
      "seed", po::value(&seed), "random seed (default 1)")(
      "t0-ns", po::value(&t0_ns),
      "start of the model (ns since the epoch; default now): a twin server with the same model "
      "serves the same truth")("probe", po::value(&probe_targets),
                               "measure the served time of a client of this server at HOST:PORT")(
      "probe-poll", po::value(&probe_poll), "probe interval, log2 seconds (default -3)")(
      "probe-settle", po::value(&probe_settle_s), "ignore probe results of the first S seconds")(
      "probe-max-delay", po::value(&probe_max_delay_s),
      "do not keep probe measurements with a round trip above S seconds (0 = keep all)")(
      "probe-report", po::value(&probe_report_s),
      "print probe figures every S seconds (0 = at exit)")("quiet,q", po::bool_switch(&quiet),
                                                           "no start and exit lines");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata-ntp-test-server: %s\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  auto fail = [](const std::string& m) {
    std::fprintf(stderr, "strata-ntp-test-server: %s\n", m.c_str());
    return 2;
  };
  auto addr = common::SocketAddress::parse(listen, 123);
  if (!addr) return fail("bad --listen address: " + listen);
  if (kod == "none")
    b.kod = ntptest::Kiss::kNone;
  else if (kod == "rate")
    b.kod = ntptest::Kiss::kRate;
  else if (kod == "deny")
    b.kod = ntptest::Kiss::kDeny;
  else if (kod == "rstr")
    b.kod = ntptest::Kiss::kRstr;
  else
    return fail("--kod must be none, rate, deny or rstr");
  if (leap == "none")
    b.leap = proto::LeapIndicator::kNone;
  else if (leap == "insert")
    b.leap = proto::LeapIndicator::kInsertSecond;
  else if (leap == "delete")
    b.leap = proto::LeapIndicator::kDeleteSecond;
  else if (leap == "unsync")
    b.leap = proto::LeapIndicator::kUnsynchronized;
  else
    return fail("--leap must be none, insert, delete or unsync");
  if (stratum < 1 || stratum > 16) return fail("--stratum must be 1..16");
  if (b.loss < 0 || b.loss > 1 || b.duplicate < 0 || b.duplicate > 1) {
    return fail("--loss and --duplicate are fractions 0..1");
  }
  if (b.jitter_s < 0 || b.jitter_s > 1) return fail("--jitter must be 0..1 s");
  if (duration_s <= 0 || duration_s > 86400) return fail("--duration must be 0..86400 s");
  b.stratum = static_cast<uint8_t>(stratum);
  b.precision = static_cast<int8_t>(precision);
  b.root_delay = common::nanosFromSeconds(root_delay_s);
  b.root_dispersion = common::nanosFromSeconds(root_dispersion_s);
  b.interleaved = !no_interleaved;
  b.tx_compensation = !no_tx_comp;
  if (!refid.empty()) {
    auto ip = common::IpAddress::parse(refid);
    b.refid = ip ? proto::refIdFromAddress(*ip) : proto::refIdFromText(refid);
  } else if (stratum > 1) {
    b.refid = 0x7F7F0101;
  }

  common::UniqueFd fd(::socket(addr->ip.isV4() ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return fail(std::string("socket: ") + std::strerror(errno));
  sockaddr_storage ss{};
  socklen_t len = addr->toSockaddr(ss, addr->ip.isV6());
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return fail("bind " + addr->toString() + ": " + std::strerror(errno));
  }
  if (auto r = hwts::enableTimestamping(fd.get(), {}); !r) return fail(r.error().message);

  ntptest::TimeModel model;
  const common::SysTime started = common::realtimeNow();
  model.t0 = t0_ns > 0 ? common::sysTimeFromNanos(t0_ns) : started;
  model.offset = common::nanosFromSeconds(offset_s);
  model.drift_ppm = drift_ppm;
  model.step = common::nanosFromSeconds(step_s);
  model.step_after = step_after_s >= 0 ? common::nanosFromSeconds(step_after_s) : common::Nanos(-1);
  ntptest::TestServerCore core(model, b, seed);

  struct Probed {
    std::string target;
    ntptest::Probe probe;
    size_t reported = 0;
  };
  std::vector<Probed> probes;
  for (const std::string& t : probe_targets) {
    auto target = common::SocketAddress::parse(t, 123);
    if (!target) return fail("bad --probe address: " + t);
    if (probe_poll < -7 || probe_poll > 10) return fail("--probe-poll must be -7..10");
    if (probe_max_delay_s < 0 || probe_max_delay_s > 1) return fail("--probe-max-delay: 0..1 s");
    auto p = ntptest::Probe::open(*target, probe_poll,
                                  started + common::nanosFromSeconds(probe_settle_s),
                                  common::nanosFromSeconds(probe_max_delay_s));
    if (!p) return fail("--probe " + t + ": " + p.error().message);
    probes.push_back(Probed{t, std::move(*p)});
  }
  common::SysTime next_report =
      started + common::nanosFromSeconds(std::max(probe_settle_s, 0.0) + probe_report_s);

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  if (!quiet) {
    std::printf(
        "{\"listen\":\"%s\",\"t0_ns\":%lld,\"offset_s\":%.9f,\"drift_ppm\":%.6f,\"step_s\":%.9f,"
        "\"step_after_s\":%.3f,\"jitter_s\":%.9f}\n",
        addr->toString().c_str(), static_cast<long long>(common::nanosSinceEpoch(model.t0)),
        offset_s, drift_ppm, step_s, step_after_s, b.jitter_s);
    std::fflush(stdout);
  }

  // TX timestamp reports come back with the socket's send counter (OPT_ID).
  std::unordered_map<uint32_t, Pending> pending;
  uint32_t sent = 0;
  const common::SysTime end = started + common::nanosFromSeconds(duration_s);
  uint8_t buf[2048];
  alignas(cmsghdr) uint8_t control[hwts::kRxControlSize];
  while (!g_stop.load() && common::realtimeNow() < end) {
    std::vector<pollfd> p;
    p.push_back({fd.get(), POLLIN, 0});
    int timeout_ms = 200;
    for (const Probed& pr : probes) {
      p.push_back({pr.probe.fd(), POLLIN, 0});
      int64_t until = (pr.probe.nextAt() - common::monotonicNow()).count() / 1'000'000;
      timeout_ms = std::min(timeout_ms, static_cast<int>(std::clamp<int64_t>(until, 0, 200)));
    }
    int ready = ::poll(p.data(), p.size(), timeout_ms);
    const bool report = probe_report_s > 0 && common::realtimeNow() >= next_report;
    for (size_t i = 0; i < probes.size(); ++i) {
      Probed& pr = probes[i];
      if (ready > 0 && p[i + 1].revents) pr.probe.onReadable(model);
      pr.probe.runDue(common::monotonicNow());
      if (report) {
        const auto& errors = pr.probe.errors();
        const auto& delays = pr.probe.delays();
        std::vector<double> window(errors.begin() + static_cast<long>(pr.reported), errors.end());
        std::vector<double> dwindow(delays.begin() + static_cast<long>(pr.reported), delays.end());
        printSummary("probe_window", pr.target, pr.probe, window, dwindow);
        pr.reported = errors.size();
      }
    }
    if (report) next_report = common::realtimeNow() + common::nanosFromSeconds(probe_report_s);
    if (ready <= 0 || !p[0].revents) continue;
    for (;;) {  // error queue: precise transmit timestamps
      hwts::ErrqueueReport r = hwts::readErrqueue(fd.get());
      if (r.kind == hwts::ErrqueueReport::Kind::kOther) continue;
      if (r.kind != hwts::ErrqueueReport::Kind::kTimestamp) break;
      const hwts::TxTimestamp& ts = r.stamp;
      if (ts.type != hwts::TxStampType::kSend || !ts.software.present()) continue;
      auto it = pending.find(ts.id);
      if (it == pending.end()) continue;
      core.onTransmitted(it->second.receive_raw, ts.software.asSysTime(), it->second.noise,
                         it->second.tx_read);
      pending.erase(it);
    }
    for (int i = 0; i < 64; ++i) {
      sockaddr_storage from{};
      iovec iov{buf, sizeof buf};
      msghdr msg{};
      msg.msg_name = &from;
      msg.msg_namelen = sizeof from;
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      ssize_t n = ::recvmsg(fd.get(), &msg, MSG_DONTWAIT);
      if (n < 0) break;
      hwts::RxControl rxc = hwts::parseRxControl(msg);
      common::SysTime rx =
          rxc.software.present() ? rxc.software.asSysTime() : common::realtimeNow();
      socklen_t from_len = msg.msg_namelen;
      common::SysTime tx_read = common::realtimeNow();
      ntptest::ReplyPlan plan =
          core.answer(std::span<const uint8_t>(buf, static_cast<size_t>(n)), rx, tx_read);
      if (!plan.send) continue;
      for (int copy = 0; copy < (plan.twice ? 2 : 1); ++copy) {
        alignas(cmsghdr) uint8_t txc[hwts::kTxControlSize];
        size_t txc_len = hwts::buildTxControl(txc, SOF_TIMESTAMPING_TX_SOFTWARE, std::nullopt, 0);
        iovec out{plan.bytes.data(), plan.bytes.size()};
        msghdr m{};
        m.msg_name = &from;
        m.msg_namelen = from_len;
        m.msg_iov = &out;
        m.msg_iovlen = 1;
        m.msg_control = txc;
        m.msg_controllen = txc_len;
        if (::sendmsg(fd.get(), &m, 0) < 0) continue;
        if (!plan.kod) pending[sent] = Pending{plan.receive_raw, plan.noise, tx_read};
        ++sent;
        if (pending.size() > 8192) pending.clear();  // stamps that never came
      }
    }
  }
  for (const Probed& pr : probes) {
    printSummary("probe", pr.target, pr.probe, pr.probe.errors(), pr.probe.delays());
  }
  if (!quiet) {
    const ntptest::ServerCounters& c = core.counters();
    std::printf(
        "{\"requests\":%llu,\"ignored\":%llu,\"lost\":%llu,\"replies\":%llu,\"interleaved\":%llu,"
        "\"kod\":%llu,\"duplicates\":%llu,\"tx_stamps\":%llu,\"send_latency_ns\":%lld}\n",
        static_cast<unsigned long long>(c.requests), static_cast<unsigned long long>(c.ignored),
        static_cast<unsigned long long>(c.lost), static_cast<unsigned long long>(c.replies),
        static_cast<unsigned long long>(c.interleaved), static_cast<unsigned long long>(c.kod),
        static_cast<unsigned long long>(c.duplicates), static_cast<unsigned long long>(c.tx_stamps),
        static_cast<long long>(c.send_latency.count()));
  }
  return 0;
}
