#include "refclock/ntp/ntp_client.h"

#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>

#include "common/clock.h"
#include "proto/refid.h"

namespace strata::refclock::ntp {

namespace {

constexpr uint64_t kTagTimer = uint64_t{1} << 62;
constexpr uint64_t kTagMember = uint64_t{2} << 62;
constexpr uint64_t kTagShared = uint64_t{3} << 62;
constexpr uint64_t kTagKindMask = uint64_t{3} << 62;
constexpr int kReplaceAfterUnanswered = 8;
constexpr int kMaxDatagramsPerWakeup = 32;
constexpr size_t kMaxSharedTxWaits = 256;
constexpr Nanos kNever{std::numeric_limits<int64_t>::max()};

uint64_t memberTag(size_t index, uint32_t gen) {
  return kTagMember | (static_cast<uint64_t>(gen & 0xFFFFFF) << 32) | (index & 0xFFFFFFFF);
}

Nanos retryDelay(int failures, Nanos min, Nanos max) {
  Nanos d = min;
  for (int i = 1; i < failures && d < max; ++i) d *= 2;
  return std::min(d, max);
}

int familyIndex(const common::IpAddress& ip) { return ip.isV4() ? 0 : 1; }

}  // namespace

struct NtpClient::Spec {
  NtpSpec spec;
  bool literal = false;
  std::optional<common::IpAddress> literal_address;
  std::vector<size_t> members;  // active members
  bool resolving = false;
  bool ever_resolved = false;
  int failures = 0;
  int fill_attempts = 0;
  Nanos next_resolve = kNever;
  bool logged_failure = false;
};

struct NtpClient::Member {
  Member(size_t spec_index, common::SocketAddress addr, const NtpSourceOptions& o)
      : spec(spec_index), address(addr), core(o) {}
  size_t spec;
  common::SocketAddress address;
  SourceId id = 0;
  NtpSourceCore core;
  std::optional<ClientSocket> socket;  // connected mode: the socket of the current request
  uint32_t socket_gen = 0;
  uint64_t socket_seq = 0;  // request sent on `socket`
  int reported_poll = 0;
  bool retired = false;
  bool online = true;
  bool want_replace = false;
  Nanos next_replace_at{0};
  uint32_t logged = 0;  // verdicts already logged (bit per Verdict)
};

NtpClient::NtpClient(TimeKeeper& tk, NtpClientOptions options, PostFn post, ResolveFn resolve)
    : tk_(tk),
      options_(options),
      post_(post),
      resolver_(std::move(post), std::move(resolve)),
      alive_(std::make_shared<bool>(true)),
      rng_(std::random_device{}()) {}

NtpClient::~NtpClient() { stop(); }

Nanos NtpClient::monoNow() const { return common::monotonicNow(); }

double NtpClient::random01() {
  return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);
}

common::Result<void> NtpClient::add(NtpSpec spec) {
  if (started_) return common::makeError("NTP sources must be added before start");
  if (spec.name.empty()) return common::makeError("NTP source without a name");
  if (spec.port == 0) return common::makeError("NTP source " + spec.name + ": port 0");
  spec.max_sources = spec.pool ? std::clamp(spec.max_sources, 1, 16) : 1;
  auto s = std::make_unique<Spec>();
  s->literal_address = common::IpAddress::parse(spec.name);
  s->literal = s->literal_address.has_value();
  s->spec = std::move(spec);
  specs_.push_back(std::move(s));
  return {};
}

common::Result<void> NtpClient::start() {
  if (started_) return {};
  epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) return common::makeError(std::string("epoll_create1: ") + std::strerror(errno));
  timer_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!timer_) return common::makeError(std::string("timerfd_create: ") + std::strerror(errno));
  watch(timer_.get(), kTagTimer);
  if (options_.acquisition_port) {
    bool need[2] = {false, false};
    for (const auto& s : specs_) {
      if (s->literal) {
        need[familyIndex(*s->literal_address)] = true;
      } else {
        need[0] = need[1] = true;  // a name may resolve to either family
      }
    }
    for (int f = 0; f < 2; ++f) {
      if (!need[f]) continue;
      auto fam = f == 0 ? common::IpAddress::Family::kV4 : common::IpAddress::Family::kV6;
      auto sock = ClientSocket::openShared(fam, *options_.acquisition_port);
      if (!sock) {
        if (f == 0 || need[0] == false) {
          return common::makeError("acquisitionport: " + sock.error().message);
        }
        spdlog::warn("NTP client: no IPv6 socket ({}); IPv6 sources will not be polled",
                     sock.error().message);
        continue;
      }
      shared_[f] = std::move(*sock);
      watch(shared_[f]->fd(), kTagShared | static_cast<uint64_t>(f));
    }
  }
  started_ = true;
  for (size_t i = 0; i < specs_.size(); ++i) {
    Spec& s = *specs_[i];
    if (s.literal) {
      s.ever_resolved = true;
      addMember(i, common::SocketAddress{*s.literal_address, s.spec.port});
    } else {
      requestResolve(i);
    }
  }
  armTimer();
  return {};
}

void NtpClient::stop() {
  if (stopped_) return;
  stopped_ = true;
  *alive_ = false;
  resolver_.stop();
  for (auto& m : members_) {
    if (m->socket) {
      unwatch(m->socket->fd());
      m->socket.reset();
    }
  }
}

void NtpClient::watch(int fd, uint64_t tag) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = tag;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
}

void NtpClient::unwatch(int fd) {
  if (epoll_) ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

void NtpClient::addMember(size_t spec_index, const common::SocketAddress& address) {
  Spec& s = *specs_[spec_index];
  auto m = std::make_unique<Member>(spec_index, address, s.spec.protocol);
  SourceOptions so = s.spec.pipeline;
  so.name = address.ip.toString();
  so.kind = SourceKind::kServer;
  so.refid = proto::refIdFromAddress(address.ip);
  so.poll_log2 = m->core.poll();
  so.filter_length = 0;  // the `filter` option is applied by the core
  so.filter_by_delay = true;
  so.pps = false;
  m->id = tk_.addExternalSource(so);
  m->reported_poll = m->core.poll();
  if (s.spec.offline) {
    m->online = false;
    tk_.setOnline(m->id, false);
  }
  m->core.start(monoNow(), random01());
  spdlog::info("NTP source {} added ({}{})", address.toString(), s.spec.pool ? "pool " : "",
               s.spec.name);
  s.members.push_back(members_.size());
  members_.push_back(std::move(m));
}

void NtpClient::retire(Member& m, const char* why) {
  spdlog::info("NTP source {} retired: {}", m.address.toString(), why);
  m.retired = true;
  if (m.socket) {
    unwatch(m.socket->fd());
    m.socket.reset();
  }
  // The TimeKeeper keeps the slot: make it unreachable so selection forgets it.
  for (int i = 0; i < 8; ++i) tk_.markReach(m.id, false);
  tk_.setOnline(m.id, false);
  Spec& s = *specs_[m.spec];
  size_t index = 0;
  for (size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].get() == &m) index = i;
  }
  s.members.erase(std::remove(s.members.begin(), s.members.end(), index), s.members.end());
}

bool NtpClient::addressInUse(const common::IpAddress& ip, uint16_t port) const {
  for (const auto& m : members_) {
    if (!m->retired && m->address.ip == ip && m->address.port == port) return true;
  }
  return false;
}

void NtpClient::requestResolve(size_t spec_index) {
  Spec& s = *specs_[spec_index];
  if (s.resolving || s.literal || stopped_) return;
  s.resolving = true;
  s.next_resolve = kNever;
  std::weak_ptr<bool> alive = alive_;
  resolver_.resolve(s.spec.name, [this, alive, spec_index](common::Result<Addresses> r) {
    auto a = alive.lock();
    if (!a || !*a) return;
    onResolved(spec_index, std::move(r));
    armTimer();
  });
}

void NtpClient::onResolved(size_t spec_index, common::Result<Addresses> result) {
  Spec& s = *specs_[spec_index];
  s.resolving = false;
  const Nanos now = monoNow();
  if (!result) {
    ++counters_.resolve_failures;
    ++s.failures;
    s.next_resolve =
        now + retryDelay(s.failures, options_.resolve_retry_min, options_.resolve_retry_max);
    if (!s.logged_failure) {
      spdlog::warn("NTP source {}: {} (retrying, further failures only counted)", s.spec.name,
                   result.error().message);
      s.logged_failure = true;
    }
    for (size_t i : s.members) members_[i]->want_replace = false;
    return;
  }
  ++counters_.resolutions;
  s.failures = 0;
  s.logged_failure = false;
  s.ever_resolved = true;
  std::deque<common::SocketAddress> fresh;
  for (const auto& ip : *result) {
    if (!addressInUse(ip, s.spec.port)) fresh.push_back({ip, s.spec.port});
  }
  // Replacements first (unreachable or refused members), then filling up a pool.
  std::vector<size_t> current = s.members;
  for (size_t i : current) {
    Member& m = *members_[i];
    if (!m.want_replace) continue;
    m.want_replace = false;
    if (fresh.empty()) {
      m.next_replace_at = now + kReplaceAfterUnanswered * pollInterval(m.core.poll());
      continue;
    }
    common::SocketAddress next = fresh.front();
    fresh.pop_front();
    retire(m, m.core.stopped() ? "refused by the server" : "unreachable");
    ++counters_.replacements;
    addMember(spec_index, next);
  }
  const size_t want = static_cast<size_t>(s.spec.pool ? s.spec.max_sources : 1);
  while (s.members.size() < want && !fresh.empty()) {
    addMember(spec_index, fresh.front());
    fresh.pop_front();
  }
  if (s.members.size() < want) {
    // Not enough distinct addresses yet: ask again later.
    ++s.fill_attempts;
    s.next_resolve = now + retryDelay(s.fill_attempts + 3, options_.resolve_retry_min,
                                      options_.resolve_retry_max);
  } else {
    s.fill_attempts = 0;
  }
}

void NtpClient::onReadable() {
  if (!epoll_) return;
  epoll_event events[32];
  int n = ::epoll_wait(epoll_.get(), events, 32, 0);
  for (int i = 0; i < n; ++i) {
    uint64_t tag = events[i].data.u64;
    if ((tag & kTagKindMask) == kTagTimer) {
      uint64_t expirations;
      (void)!::read(timer_.get(), &expirations, sizeof expirations);
    } else {
      handleSocket(tag);
    }
  }
  if (!stopped_) runDue(monoNow());
  armTimer();
}

void NtpClient::runDue(Nanos now) {
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i]->next_resolve <= now) requestResolve(i);
  }
  for (size_t i = 0; i < members_.size(); ++i) {
    Member& m = *members_[i];
    if (m.retired || !m.online || m.core.stopped()) continue;
    if (m.core.nextRequestAt() <= now) sendRequest(m, now);
  }
}

void NtpClient::sendRequest(Member& m, Nanos now) {
  size_t index = 0;
  for (size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].get() == &m) index = i;
  }
  RequestPlan plan = m.core.makeRequest(now, rng_(), rng_(), random01());
  if (plan.previous_unanswered) tk_.markReach(m.id, false);
  Spec& s = *specs_[m.spec];
  if (!s.literal && m.core.unansweredRun() >= kReplaceAfterUnanswered && !m.want_replace &&
      now >= m.next_replace_at) {
    m.want_replace = true;
    requestResolve(m.spec);
  }

  common::Result<ClientSocket::Sent> sent = common::makeError("no socket");
  if (!options_.acquisition_port) {
    if (m.socket) {
      drainTxTimestamps(*m.socket, index);
      counters_.icmp_errors += m.socket->errors();
      unwatch(m.socket->fd());
      m.socket.reset();
    }
    auto sock = ClientSocket::openConnected(m.address);
    if (!sock) {
      ++counters_.socket_errors;
      if (!(m.logged & (1u << 31))) {
        spdlog::warn("NTP source {}: {}", m.address.toString(), sock.error().message);
        m.logged |= 1u << 31;
      }
      m.core.onSendFailed(plan.seq);
      return;
    }
    m.socket = std::move(*sock);
    ++m.socket_gen;
    m.core.setLocalRefid(proto::refIdFromAddress(m.socket->localAddress()));
    sent = m.socket->send(plan.packet, nullptr);
    m.socket_seq = plan.seq;
    // Watched only after the send: a socket in an epoll set has a waiter, and the kernel wakes
    // it between taking the TX timestamp and handing the datagram on, which makes the stamp
    // early by that wake-up (about 1 us measured here). Registering later loses nothing: the
    // reply or the stamp already queued is reported at once.
    watch(m.socket->fd(), memberTag(index, m.socket_gen));
  } else {
    int f = familyIndex(m.address.ip);
    if (shared_[f]) {
      const uint64_t key_restarts = shared_[f]->keyRestarts();
      sent = shared_[f]->send(plan.packet, &m.address);
      if (!sent && shared_[f]->keyRestarts() != key_restarts) {
        // Keys start from 0 again: match the reports already queued, forget the rest.
        drainTxTimestamps(*shared_[f], std::nullopt);
        shared_tx_[f].clear();
      }
      if (sent) {
        auto& waits = shared_tx_[f];
        if (waits.size() >= kMaxSharedTxWaits) {
          // Stamps that never came (dropped by the kernel): forget the oldest keys.
          uint32_t oldest_kept = sent->tx_key - static_cast<uint32_t>(kMaxSharedTxWaits / 2);
          std::erase_if(waits, [&](const auto& kv) {
            return static_cast<int32_t>(kv.first - oldest_kept) < 0;
          });
        }
        waits[sent->tx_key] = TxWait{index, plan.seq};
      }
    }
  }
  if (!sent) {
    ++counters_.send_errors;
    if (!(m.logged & (1u << 30))) {
      spdlog::warn("NTP source {}: {}", m.address.toString(), sent.error().message);
      m.logged |= 1u << 30;
    }
    m.core.onSendFailed(plan.seq);
    return;
  }
  m.core.onSent(plan.seq, sent->daemon_tx);
  if (m.core.poll() != m.reported_poll) {
    m.reported_poll = m.core.poll();
    tk_.setPoll(m.id, m.reported_poll);
  }
}

void NtpClient::drainTxTimestamps(ClientSocket& sock, std::optional<size_t> member_hint) {
  for (int i = 0; i < kMaxDatagramsPerWakeup; ++i) {
    std::optional<hwts::TxTimestamp> ts = sock.receiveTxTimestamp();
    if (!ts) return;
    if (ts->type != hwts::TxStampType::kSend || !ts->software.present()) continue;
    SysTime t = ts->software.asSysTime();
    if (member_hint) {
      Member& m = *members_[*member_hint];
      m.core.onTxTimestamp(m.socket_seq, t, StampSource::kKernel);
      continue;
    }
    for (int f = 0; f < 2; ++f) {
      if (!shared_[f] || &*shared_[f] != &sock) continue;
      auto it = shared_tx_[f].find(ts->id);
      if (it == shared_tx_[f].end()) continue;
      if (it->second.member < members_.size()) {
        members_[it->second.member]->core.onTxTimestamp(it->second.seq, t, StampSource::kKernel);
      }
      shared_tx_[f].erase(it);
    }
  }
}

NtpClient::Member* NtpClient::findByAddress(const common::SocketAddress& from) {
  for (auto& m : members_) {
    if (!m->retired && m->address.ip == from.ip && m->address.port == from.port) return m.get();
  }
  return nullptr;
}

void NtpClient::handleSocket(uint64_t tag) {
  uint8_t buffer[1024];
  if ((tag & kTagKindMask) == kTagMember) {
    size_t index = tag & 0xFFFFFFFF;
    uint32_t gen = static_cast<uint32_t>((tag >> 32) & 0xFFFFFF);
    if (index >= members_.size()) return;
    Member& m = *members_[index];
    if (!m.socket || (m.socket_gen & 0xFFFFFF) != gen) return;
    drainTxTimestamps(*m.socket, index);
    for (int i = 0; i < kMaxDatagramsPerWakeup && m.socket; ++i) {
      auto r = m.socket->receive(buffer);
      if (!r) break;
      handleDatagram(m, std::span<const uint8_t>(buffer, sizeof buffer), *r);
    }
    return;
  }
  int f = static_cast<int>(tag & 1);
  if (!shared_[f]) return;
  drainTxTimestamps(*shared_[f], std::nullopt);
  for (int i = 0; i < kMaxDatagramsPerWakeup; ++i) {
    auto r = shared_[f]->receive(buffer);
    if (!r) break;
    Member* m = findByAddress(r->from);
    if (m == nullptr) {
      if (counters_.wrong_source++ == 0) {
        spdlog::warn("NTP client: datagram from {}, which is no source (further ones counted)",
                     r->from.toString());
      }
      continue;
    }
    handleDatagram(*m, std::span<const uint8_t>(buffer, sizeof buffer), *r);
  }
  counters_.icmp_errors = shared_[f]->errors();
}

SourceView NtpClient::viewOf(const Member& m, SysTime now_local) const {
  SourceView v;
  const Source& src = tk_.source(m.id);
  const SourceStats& stats = src.stats();
  v.samples = static_cast<int>(stats.size());
  if (v.samples == 0) return v;
  Nanos min_delay = stats.points().front().delay;
  for (const auto& p : stats.points()) min_delay = std::min(min_delay, p.delay);
  v.min_delay = min_delay;
  if (const auto& e = stats.estimate()) {
    v.std_dev_s = e->std_dev_s;
    v.skew = e->freq_valid ? e->skew : 0.0;
  }
  if (src.lastSample().valid) {
    v.elapsed_s = std::max(0.0, common::toSeconds(now_local - src.lastSample().local_time));
  }
  std::vector<SourceStatsReport> reports = tk_.sourceStats(now_local);
  if (m.id < reports.size()) v.predicted_residual_s = -reports[m.id].offset_s;
  v.served_minus_local_s = tk_.tracking(now_local).system_time_s;
  return v;
}

void NtpClient::logVerdict(Member& m, Verdict v) {
  if (v == Verdict::kGood || v == Verdict::kFiltered) return;
  uint32_t bit = 1u << static_cast<unsigned>(v);
  if (m.logged & bit) return;
  m.logged |= bit;
  spdlog::warn("NTP source {}: {} (further ones only counted)", m.address.toString(),
               verdictDescription(v));
}

void NtpClient::handleDatagram(Member& m, std::span<const uint8_t> buffer,
                               const ClientSocket::Received& r) {
  const SysTime now_local = common::realtimeNow();
  if (r.length > buffer.size()) {
    ++counters_.truncated;
    m.core.count(Verdict::kMalformed);
    logVerdict(m, Verdict::kMalformed);
    return;
  }
  SysTime rx = r.daemon_rx;
  StampSource rx_source = StampSource::kDaemon;
  if (r.control.software.present()) {
    rx = r.control.software.asSysTime();
    rx_source = StampSource::kKernel;
  }
  SourceView view = viewOf(m, now_local);
  ResponseOutcome out = m.core.onResponse(buffer.first(r.length), rx, rx_source, view);
  logVerdict(m, out.verdict);
  if (out.reach) tk_.markReach(m.id, true);
  bool poll_changed = out.poll_changed;
  if (out.sample) {
    if (!tk_.addSample(m.id, *out.sample, now_local)) {
      poll_changed |= m.core.onSampleAccepted(static_cast<int>(tk_.source(m.id).stats().size()));
    } else {
      m.core.onSampleRejected();
    }
  }
  if (poll_changed && m.core.poll() != m.reported_poll) {
    m.reported_poll = m.core.poll();
    tk_.setPoll(m.id, m.reported_poll);
  }
  const LastResponse& last = m.core.lastResponse();
  if (log_fn_ && last.valid && last.rx_time == rx && out.verdict != Verdict::kDuplicate) {
    std::string address = m.address.ip.toString();
    MeasurementsLogEntry e;
    e.time = now_local;
    e.address = address;
    e.leap = last.header.leap;
    e.stratum = last.header.stratum;
    last.tests.toArray(e.tests);
    e.local_poll = m.core.poll();
    e.remote_poll = last.header.poll;
    e.offset_s = last.offset_s;
    e.peer_delay_s = last.delay_s;
    e.peer_dispersion_s = last.dispersion_s;
    e.root_delay_s = common::toSeconds(last.header.root_delay.toNanos());
    e.root_dispersion_s = common::toSeconds(last.header.root_dispersion.toNanos());
    e.refid = last.header.reference_id;
    e.mode = static_cast<int>(last.header.mode);
    e.interleaved = last.interleaved;
    e.tx_source = stampSourceLetter(last.tx_source);
    e.rx_source = stampSourceLetter(last.rx_source);
    log_fn_(e);
  }
  if (out.stopped) {
    for (int i = 0; i < 8; ++i) tk_.markReach(m.id, false);
    Spec& s = *specs_[m.spec];
    if (!s.literal) {
      m.want_replace = true;
      requestResolve(m.spec);
    }
  }
}

void NtpClient::armTimer() {
  if (!timer_) return;
  Nanos next = kNever;
  if (!stopped_) {
    for (const auto& s : specs_) next = std::min(next, s->next_resolve);
    for (const auto& m : members_) {
      if (m->retired || !m->online || m->core.stopped()) continue;
      next = std::min(next, m->core.nextRequestAt());
    }
  }
  itimerspec its{};
  if (next != kNever) {
    next = std::max(next, Nanos(1));
    its.it_value.tv_sec = static_cast<time_t>(next.count() / common::kNanosPerSecond);
    its.it_value.tv_nsec = static_cast<long>(next.count() % common::kNanosPerSecond);
  }
  ::timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &its, nullptr);
}

std::vector<NtpMemberInfo> NtpClient::members() const {
  std::vector<NtpMemberInfo> out;
  for (const auto& m : members_) {
    if (auto i = member(m->id)) out.push_back(*i);
  }
  return out;
}

std::optional<NtpMemberInfo> NtpClient::member(SourceId id) const {
  for (const auto& m : members_) {
    if (m->id != id) continue;
    const Spec& s = *specs_[m->spec];
    NtpMemberInfo i;
    i.id = m->id;
    i.configured_name = s.spec.name;
    i.address = m->address;
    i.pool = s.spec.pool;
    i.retired = m->retired;
    i.online = m->online;
    i.burst = m->core.inBurst();
    i.stopped = m->core.stopped();
    return i;
  }
  return std::nullopt;
}

const VerdictCounters* NtpClient::verdicts(SourceId id) const {
  for (const auto& m : members_) {
    if (m->id == id) return &m->core.verdicts();
  }
  return nullptr;
}

const SourceTotals* NtpClient::totals(SourceId id) const {
  for (const auto& m : members_) {
    if (m->id == id) return &m->core.totals();
  }
  return nullptr;
}

std::optional<NtpDataReport> NtpClient::ntpData(const common::IpAddress& address) const {
  const Member* found = nullptr;
  for (const auto& m : members_) {
    if (m->address.ip != address) continue;
    if (found == nullptr || !m->retired) found = m.get();
  }
  if (found == nullptr) return std::nullopt;
  const Member& m = *found;
  const LastResponse& last = m.core.lastResponse();
  const SourceTotals& t = m.core.totals();
  NtpDataReport r;
  r.remote_address = m.address.ip.toString();
  r.remote_refid = proto::refIdFromAddress(m.address.ip);
  r.remote_port = m.address.port;
  if (m.socket) {
    r.local_address = m.socket->localAddress().toString();
    r.local_refid = proto::refIdFromAddress(m.socket->localAddress());
  }
  r.poll_log2 = m.core.poll();
  if (last.valid) {
    r.leap = last.header.leap;
    r.version = last.header.version;
    r.mode = last.header.mode;
    r.stratum = last.header.stratum;
    r.poll_log2 = last.header.poll;
    r.precision_log2 = last.header.precision;
    r.root_delay_s = common::toSeconds(last.header.root_delay.toNanos());
    r.root_dispersion_s = common::toSeconds(last.header.root_dispersion.toNanos());
    r.reference_id = last.header.reference_id;
    r.reference_time = last.header.reference_time.isZero()
                           ? SysTime{}
                           : last.header.reference_time.toSysTime(last.rx_time);
    r.offset_s = -last.offset_s;  // chronyc: + = local ahead
    r.peer_delay_s = last.delay_s;
    r.peer_dispersion_s = last.dispersion_s;
    r.response_time_s = last.response_time_s;
    r.tests = last.tests.bits();
    r.interleaved = last.interleaved;
    r.tx_timestamping = stampSourceLetter(last.tx_source);
    r.rx_timestamping = stampSourceLetter(last.rx_source);
  }
  r.total_tx = t.tx;
  r.total_rx = t.rx;
  r.total_valid_rx = t.valid_rx;
  r.total_good_rx = t.good_rx;
  return r;
}

ActivityReport NtpClient::activity() const {
  ActivityReport a;
  for (const auto& s : specs_) {
    const size_t want = static_cast<size_t>(s->spec.pool ? s->spec.max_sources : 1);
    if (!s->ever_resolved) {
      a.unresolved += static_cast<int>(want);
      continue;
    }
    for (size_t i : s->members) {
      const Member& m = *members_[i];
      const bool online = m.online && !m.core.stopped();
      if (m.core.inBurst()) {
        ++(online ? a.burst_online : a.burst_offline);
      } else {
        ++(online ? a.online : a.offline);
      }
    }
  }
  return a;
}

}  // namespace strata::refclock::ntp
