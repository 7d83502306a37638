#include "tools/ntp-test-server/probe.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "common/clock.h"

namespace strata::ntptest {

ErrorSummary summarize(std::vector<double> v) {
  ErrorSummary s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.count = v.size();
  double sum = 0, sq = 0;
  for (double x : v) {
    sum += x;
    sq += x * x;
  }
  s.mean = sum / static_cast<double>(v.size());
  s.rms = std::sqrt(sq / static_cast<double>(v.size()));
  s.min = v.front();
  s.max = v.back();
  auto q = [&](double p) {
    size_t i = static_cast<size_t>(std::lround(p * static_cast<double>(v.size() - 1)));
    return v[std::min(i, v.size() - 1)];
  };
  s.p05 = q(0.05);
  s.median = q(0.5);
  s.p95 = q(0.95);
  return s;
}

double servedError(const TimeModel& model, common::SysTime local_time, common::Nanos offset) {
  common::Nanos truth_minus_local = model.truth(local_time) - local_time;
  return common::toSeconds(offset - truth_minus_local);
}

Probe::Probe(refclock::ntp::ClientSocket socket, common::UniqueFd warm_tx,
             common::UniqueFd warm_sink, int poll_log2, common::SysTime settle_until,
             common::Nanos max_delay)
    : socket_(std::move(socket)),
      warm_tx_(std::move(warm_tx)),
      warm_sink_(std::move(warm_sink)),
      core_([&] {
        refclock::ntp::NtpSourceOptions o;
        o.poll.minpoll_log2 = poll_log2;
        o.poll.maxpoll_log2 = poll_log2;
        o.xleave = true;
        o.max_delay_dev_ratio = 0;
        o.local_precision_log2 = -24;
        return o;
      }()),
      settle_until_(settle_until),
      max_delay_(max_delay) {
  core_.start(common::monotonicNow(), std::uniform_real_distribution<double>(0.0, 1.0)(rng_));
}

common::Result<Probe> Probe::open(const common::SocketAddress& target, int poll_log2,
                                  common::SysTime settle_until, common::Nanos max_delay) {
  auto s = refclock::ntp::ClientSocket::openConnected(target);
  if (!s) return s.error();
  // The warm-up pair: a sender connect()ed to a sink, both on 127.0.0.1.
  common::UniqueFd tx(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  common::UniqueFd sink(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (!tx || !sink || ::bind(sink.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(sink.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
      ::connect(tx.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    return common::makeError(std::string("warm-up sockets: ") + std::strerror(errno));
  }
  return Probe(std::move(*s), std::move(tx), std::move(sink), poll_log2, settle_until, max_delay);
}

void Probe::warmSendPath() {
  uint8_t byte[48] = {};
  if (::send(warm_tx_.get(), byte, sizeof byte, 0) > 0) {
    (void)::recv(warm_sink_.get(), byte, sizeof byte, MSG_DONTWAIT);
  }
}

void Probe::runDue(common::Nanos now_mono) {
  if (core_.nextRequestAt() > now_mono) return;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto plan = core_.makeRequest(now_mono, rng_(), rng_(), u(rng_));
  warmSendPath();
  auto sent = socket_.send(plan.packet, nullptr);
  if (!sent) {
    core_.onSendFailed(plan.seq);
    return;
  }
  core_.onSent(plan.seq, sent->daemon_tx);
  tx_keys_[sent->tx_key] = plan.seq;
  if (tx_keys_.size() > 1024) tx_keys_.clear();
}

void Probe::onReadable(const TimeModel& model) {
  while (auto ts = socket_.receiveTxTimestamp()) {
    if (ts->type != hwts::TxStampType::kSend || !ts->software.present()) continue;
    auto it = tx_keys_.find(ts->id);
    if (it == tx_keys_.end()) continue;
    core_.onTxTimestamp(it->second, ts->software.asSysTime(), refclock::ntp::StampSource::kKernel);
    tx_keys_.erase(it);
  }
  uint8_t buf[512];
  for (int i = 0; i < 16; ++i) {
    auto r = socket_.receive(buf);
    if (!r) break;
    if (r->length > sizeof buf) continue;
    common::SysTime rx =
        r->control.software.present() ? r->control.software.asSysTime() : r->daemon_rx;
    auto out = core_.onResponse(std::span<const uint8_t>(buf, r->length), rx,
                                refclock::ntp::StampSource::kKernel, {});
    if (!out.sample) {
      if (out.verdict != refclock::ntp::Verdict::kGood) ++unusable_;
      continue;
    }
    if (out.sample->local_time < settle_until_) continue;
    if (max_delay_ > common::Nanos(0) && out.sample->delay > max_delay_) {
      ++delay_rejected_;
      continue;
    }
    errors_.push_back(servedError(model, out.sample->local_time, out.sample->offset));
    delays_.push_back(common::toSeconds(out.sample->delay));
    if (core_.lastResponse().interleaved) ++interleaved_;
  }
}

}  // namespace strata::ntptest
