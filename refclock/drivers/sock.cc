#include "refclock/drivers/sock.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>

namespace strata::refclock {

namespace {

template <class T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class T>
void store(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

constexpr int64_t kMaxSeconds = int64_t{9'000'000'000};
// Offsets beyond this cannot be represented as nanoseconds; the TimeKeeper applies the real
// plausibility limit.
constexpr double kMaxOffsetS = 9e9;

}  // namespace

std::array<uint8_t, kSockSampleSize> encodeSock(const SockFields& f) {
  std::array<uint8_t, kSockSampleSize> b{};
  store(b.data() + 0, f.tv_sec);
  store(b.data() + 8, f.tv_usec);
  store(b.data() + 16, f.offset_s);
  store(b.data() + 24, f.pulse);
  store(b.data() + 28, f.leap);
  store(b.data() + 32, f.pad);
  store(b.data() + 36, f.magic);
  return b;
}

SockResult parseSock(std::span<const uint8_t> d) {
  SockResult r;
  if (d.size() != kSockSampleSize) {
    r.reason = RejectReason::kBadSize;
    return r;
  }
  const uint8_t* p = d.data();
  if (load<int32_t>(p + 36) != kSockMagic) {
    r.reason = RejectReason::kBadMagic;
    return r;
  }
  int64_t sec = load<int64_t>(p + 0);
  int64_t usec = load<int64_t>(p + 8);
  double offset = load<double>(p + 16);
  int32_t pulse = load<int32_t>(p + 24);
  int32_t leap = load<int32_t>(p + 28);
  if (sec < 0 || sec > kMaxSeconds || usec < 0 || usec >= 1'000'000) {
    r.reason = RejectReason::kBadTimestamp;
    return r;
  }
  if (!std::isfinite(offset) || std::fabs(offset) > kMaxOffsetS) {
    r.reason = RejectReason::kAbsurdOffset;
    return r;
  }
  if (leap < 0 || leap > 2) {
    r.reason = RejectReason::kBadTimestamp;
    return r;
  }
  r.ok = true;
  r.sample.local_time = common::sysTimeFromNanos(sec * common::kNanosPerSecond + usec * 1000);
  r.sample.offset = common::nanosFromSeconds(offset);
  r.sample.pulse = pulse != 0;
  r.sample.leap = static_cast<LeapIndicator>(leap);
  return r;
}

common::Result<std::unique_ptr<SockDriver>> SockDriver::open(SockOptions options) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (options.path.empty() || options.path.size() >= sizeof(addr.sun_path)) {
    return common::makeError("SOCK path '" + options.path + "' is empty or too long");
  }
  std::memcpy(addr.sun_path, options.path.c_str(), options.path.size() + 1);
  common::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return common::makeError(std::string("socket(AF_UNIX) failed: ") + std::strerror(errno));
  // Replace a stale socket left by a previous run, but never another kind of file.
  struct stat st;
  if (::lstat(options.path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return common::makeError("SOCK path " + options.path + " exists and is not a socket");
    }
    ::unlink(options.path.c_str());
  }
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0) {
    return common::makeError("cannot bind SOCK socket " + options.path + ": " +
                             std::strerror(errno));
  }
  return std::unique_ptr<SockDriver>(new SockDriver(std::move(options), std::move(fd)));
}

SockDriver::~SockDriver() {
  if (fd_) ::unlink(options_.path.c_str());
}

void SockDriver::onReadable(SysTime, SampleSink& sink) {
  // A bounded number per wakeup so that a flooding writer cannot starve the loop.
  for (int i = 0; i < 64; ++i) {
    std::array<uint8_t, kSockSampleSize + 1> buf;
    ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        sink.fault(std::string("recv on SOCK socket failed: ") + std::strerror(errno));
      }
      return;
    }
    SockResult r = parseSock(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)));
    if (r.ok) {
      sink.sample(r.sample);
    } else {
      sink.reject(r.reason);
    }
  }
}

}  // namespace strata::refclock
