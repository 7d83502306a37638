// Drives NtpSourceCore with a fuzzer-chosen sequence of events: requests (basic or
// interleaved), kernel TX stamps, and datagrams whose bytes come from the input. A control
// byte may patch the outstanding request's cookie into a datagram's origin field so that the
// fuzzer reaches the checks behind the origin test (kiss codes, header tests, interleaved
// measurements, delay tests, the filter). The core must never crash, and its invariants hold:
// a sample only comes with a good verdict and a reach bit, delays are never negative.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "proto/ntp_packet.h"
#include "refclock/ntp/source_core.h"

using namespace strata;
using namespace strata::refclock::ntp;

namespace {

struct Reader {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return v;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in{data, size};
  NtpSourceOptions o;
  const uint8_t flags = in.byte();
  o.xleave = flags & 1;
  o.filter_samples = (flags >> 1) & 3;
  o.max_delay_ratio = (flags & 8) ? 1.5 : 0;
  o.version = (flags & 16) ? 3 : 4;
  o.poll.minpoll_log2 = static_cast<int8_t>(in.byte()) % 12;
  o.poll.maxpoll_log2 = o.poll.minpoll_log2 + 2;
  o.poll.iburst = flags & 32;
  o.poll.burst = flags & 64;
  NtpSourceCore core(o);
  core.setLocalRefid(0x7F000001);
  common::Nanos mono{0};
  common::SysTime now = common::sysTimeFromNanos(int64_t{1'700'000'000} * 1'000'000'000);
  core.start(mono, 0.5);
  uint64_t seq = 0;
  uint64_t cookie_tx = 0, cookie_rx = 0;
  for (int step = 0; step < 64 && in.n > 0; ++step) {
    const uint8_t op = in.byte();
    mono += common::Nanos((op & 0xF0) * 1'000'000);
    now += common::Nanos((op & 0xF0) * 1'000'000);
    switch (op & 3) {
      case 0: {  // a request
        RequestPlan plan = core.makeRequest(mono, in.u64(), in.u64(), (in.byte() % 100) / 100.0);
        proto::NtpHeader h = proto::decodeHeader(plan.packet);
        cookie_tx = h.transmit_time.raw();
        cookie_rx = h.receive_time.raw();
        seq = plan.seq;
        if (in.byte() & 1) {
          core.onSent(plan.seq, now);
        } else {
          core.onSendFailed(plan.seq);
        }
        break;
      }
      case 1:  // a TX timestamp, possibly for another request
        core.onTxTimestamp(seq - (in.byte() & 1), now + common::Nanos(in.byte()),
                           static_cast<StampSource>(in.byte() % 3));
        break;
      default: {  // a datagram
        size_t len = in.byte();
        if (len > in.n) len = in.n;
        uint8_t buf[256];
        std::memcpy(buf, in.p, len);
        in.p += len;
        in.n -= len;
        const uint8_t patch = in.byte();
        if (len >= proto::kNtpHeaderSize && (patch & 3) != 0) {
          proto::writeTimestamp(
              buf + proto::kOffsetOriginTime,
              common::NtpTimestamp::fromRaw((patch & 3) == 1 ? cookie_tx : cookie_rx));
        }
        SourceView view;
        view.samples = in.byte() % 80;
        view.min_delay = common::Nanos(in.byte() * 1000);
        view.std_dev_s = in.byte() * 1e-7;
        view.elapsed_s = in.byte() * 0.1;
        view.predicted_residual_s = static_cast<int8_t>(in.byte()) * 1e-6;
        ResponseOutcome out =
            core.onResponse(std::span<const uint8_t>(buf, len),
                            now + common::Nanos(in.byte() * 1000), StampSource::kKernel, view);
        if (out.sample) {
          if (out.verdict != Verdict::kGood || !out.reach) std::abort();
          if (out.sample->delay < common::Nanos(0) || out.sample->dispersion < common::Nanos(0)) {
            std::abort();
          }
          core.onSampleAccepted(view.samples + 1);
        }
        if (static_cast<size_t>(out.verdict) >= kVerdictCount) std::abort();
        break;
      }
    }
  }
  return 0;
}
