#pragma once
// NtpClient: the upstream NTP sources of the daemon (`server` and `pool` lines) as a thin
// shell around NtpSourceCore (the protocol logic, pure). It owns the sockets, one timerfd for
// all sources and a private epoll set holding both; that one epoll descriptor is what the
// time-keeping loop watches (fd(), onReadable()). Samples go into the TimeKeeper as external
// sources (addExternalSource/addSample/markReach/setPoll/setOnline).
//
// Sources and members. A configured source (a "spec": one `server` or `pool` line) has
// members, each one server address with its own TimeKeeper source: a `server` has one, a
// `pool` up to `maxsources`. Names that are not IP literals are resolved by a Resolver thread
// (never on the time-keeping thread); failures are retried with a doubling delay (2 s up to
// 1024 s by default). A member that stopped answering for 8 polls in a row, or that got a DENY/RSTR
// kiss code, is replaced by a fresh address of the same name when one exists: the old
// member is retired (its TimeKeeper source gets reach 0, goes offline and is reported as
// retired so the control reports can hide it) and a new TimeKeeper source takes over.
//
// Sockets: by default every request goes out from a new socket connect()ed to the server
// (a new random source port per request, as chrony without `acquisitionport`); with an
// acquisition port one unconnected socket per address family is shared and datagrams from
// unknown addresses are counted as wrong-source. Kernel RX and TX timestamps are used
// (TX via the error queue); hardware timestamps are not used by the client yet.
//
// Thread-safety: everything runs on the time-keeping thread (the thread that calls start()
// and onReadable()), except the resolver's lookups. The reports are copies.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/net_address.h"
#include "common/result.h"
#include "common/unique_fd.h"
#include "refclock/ntp/client_socket.h"
#include "refclock/ntp/resolver.h"
#include "refclock/ntp/source_core.h"
#include "refclock/reports.h"
#include "refclock/stat_logs.h"
#include "refclock/time_keeper.h"

namespace strata::refclock::ntp {

// One `server` or `pool` line.
struct NtpSpec {
  std::string name;  // host name or IP literal
  uint16_t port = 123;
  bool pool = false;
  int max_sources = 4;  // pool only (1..16)
  bool offline = false;
  NtpSourceOptions protocol;
  // Pipeline options (prefer, noselect, trust, require, offset, min/maxsamples); name, kind,
  // refid, poll and filter are set per member.
  SourceOptions pipeline;
};

struct NtpClientOptions {
  // chrony's `acquisitionport`: unset = a new socket (random port) per request; 0 = one
  // shared socket per family on a random port; N = shared sockets bound to port N.
  std::optional<uint16_t> acquisition_port;
  // First retry delay after a failed lookup (doubles up to resolve_retry_max).
  Nanos resolve_retry_min{2 * common::kNanosPerSecond};
  Nanos resolve_retry_max{1024 * common::kNanosPerSecond};
};

// Counters of the client as a whole (per-source ones are in NtpSourceCore).
struct NtpClientCounters {
  uint64_t resolutions = 0;       // successful lookups
  uint64_t resolve_failures = 0;  // failed lookups (DNS errors, no address)
  uint64_t replacements = 0;      // members replaced by a fresh address
  uint64_t socket_errors = 0;     // socket()/connect()/bind() failures
  uint64_t send_errors = 0;       // sendmsg failures
  uint64_t wrong_source = 0;      // datagrams from no known server (shared sockets)
  uint64_t icmp_errors = 0;       // errors reported on sockets (port unreachable ...)
  uint64_t truncated = 0;         // datagrams longer than any NTP packet we accept
};

// A TimeKeeper source created by the client, for the control reports.
struct NtpMemberInfo {
  SourceId id = 0;
  std::string configured_name;  // the `server`/`pool` name as written
  common::SocketAddress address;
  bool pool = false;
  bool retired = false;  // replaced or gone: hide from `sources`
  bool online = true;
  bool burst = false;
  bool stopped = false;  // DENY/RSTR: not polled any more
};

class NtpClient {
 public:
  using MeasurementLogFn = std::function<void(const MeasurementsLogEntry&)>;

  // `tk` must outlive the client. `post` runs a function on the time-keeping thread
  // (TimeKeeperLoop::post); `resolve` is the blocking lookup (tests substitute it).
  NtpClient(TimeKeeper& tk, NtpClientOptions options, PostFn post,
            ResolveFn resolve = systemResolve);
  ~NtpClient();
  NtpClient(const NtpClient&) = delete;
  NtpClient& operator=(const NtpClient&) = delete;

  void setMeasurementLog(MeasurementLogFn fn) { log_fn_ = std::move(fn); }

  // Before start(). Checks the options; IP literals become members at start().
  common::Result<void> add(NtpSpec spec);
  // Opens the timer and epoll set (and shared sockets), creates members for IP literals and
  // asks the resolver for the names. Call on the time-keeping thread (or before it starts).
  common::Result<void> start();
  // The descriptor to watch for readability (valid after start()).
  int fd() const { return epoll_.get(); }
  // Runs everything due: received datagrams, TX timestamps, requests, resolutions.
  void onReadable();
  // Stops the resolver; no more requests after this.
  void stop();

  // Reports.
  std::vector<NtpMemberInfo> members() const;
  std::optional<NtpMemberInfo> member(SourceId id) const;
  // chronyc `ntpdata` of the (non-retired) member with this address.
  std::optional<NtpDataReport> ntpData(const common::IpAddress& address) const;
  // chronyc `activity` for the NTP sources.
  ActivityReport activity() const;
  const NtpClientCounters& counters() const { return counters_; }
  // Per-member verdict counters and packet totals (metrics, ntpdata's kernel/hardware
  // counts), by TimeKeeper source id; null if the id is not an NTP member.
  const VerdictCounters* verdicts(SourceId id) const;
  const SourceTotals* totals(SourceId id) const;
  size_t specCount() const { return specs_.size(); }

 private:
  struct Member;
  struct Spec;
  struct TxWait {
    size_t member = 0;
    uint64_t seq = 0;
  };

  Nanos monoNow() const;
  double random01();
  void addMember(size_t spec_index, const common::SocketAddress& address);
  void retire(Member& m, const char* why);
  void requestResolve(size_t spec_index);
  void onResolved(size_t spec_index, common::Result<Addresses> result);
  void runDue(Nanos now);
  void sendRequest(Member& m, Nanos now);
  void handleSocket(uint64_t tag);
  void drainTxTimestamps(ClientSocket& sock, std::optional<size_t> member_hint);
  void handleDatagram(Member& m, std::span<const uint8_t> data, const ClientSocket::Received& r);
  SourceView viewOf(const Member& m, SysTime now_local) const;
  void logVerdict(Member& m, Verdict v);
  void armTimer();
  void watch(int fd, uint64_t tag);
  void unwatch(int fd);
  Member* findByAddress(const common::SocketAddress& from);
  bool addressInUse(const common::IpAddress& ip, uint16_t port) const;

  TimeKeeper& tk_;
  NtpClientOptions options_;
  PostFn post_;
  Resolver resolver_;
  std::shared_ptr<bool> alive_;
  MeasurementLogFn log_fn_;
  common::UniqueFd epoll_;
  common::UniqueFd timer_;
  std::vector<std::unique_ptr<Spec>> specs_;
  std::vector<std::unique_ptr<Member>> members_;
  // Shared sockets (acquisition port): [0] IPv4, [1] IPv6, and their TX-timestamp keys.
  std::optional<ClientSocket> shared_[2];
  std::unordered_map<uint32_t, TxWait> shared_tx_[2];
  std::mt19937_64 rng_;
  NtpClientCounters counters_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace strata::refclock::ntp
