#include "refclock/drivers/shm.h"

#include <sys/ipc.h>
#include <sys/shm.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

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

constexpr size_t kOffMode = 0, kOffCount = 4, kOffClockSec = 8, kOffClockUsec = 16,
                 kOffReceiveSec = 24, kOffReceiveUsec = 32, kOffLeap = 36, kOffPrecision = 40,
                 kOffNsamples = 44, kOffValid = 48, kOffClockNsec = 52, kOffReceiveNsec = 56;

// Nanoseconds of a timestamp: the NSec field when it agrees with the USec field (writers that
// do not know NSec leave it 0 or garbage), else USec * 1000. -1 if out of range.
int64_t subsecondNanos(int32_t usec, uint32_t nsec) {
  if (usec < 0 || usec >= 1'000'000) return -1;
  if (nsec < 1'000'000'000u && nsec / 1000 == static_cast<uint32_t>(usec)) return nsec;
  return int64_t{usec} * 1000;
}

// Seconds beyond which SysTime (int64 ns) would overflow.
constexpr int64_t kMaxSeconds = int64_t{9'000'000'000};

}  // namespace

ShmFields decodeShm(std::span<const uint8_t, kShmSegmentSize> b) {
  const uint8_t* p = b.data();
  ShmFields f;
  f.mode = load<int32_t>(p + kOffMode);
  f.count = load<int32_t>(p + kOffCount);
  f.clock_sec = load<int64_t>(p + kOffClockSec);
  f.clock_usec = load<int32_t>(p + kOffClockUsec);
  f.receive_sec = load<int64_t>(p + kOffReceiveSec);
  f.receive_usec = load<int32_t>(p + kOffReceiveUsec);
  f.leap = load<int32_t>(p + kOffLeap);
  f.precision = load<int32_t>(p + kOffPrecision);
  f.nsamples = load<int32_t>(p + kOffNsamples);
  f.valid = load<int32_t>(p + kOffValid);
  f.clock_nsec = load<uint32_t>(p + kOffClockNsec);
  f.receive_nsec = load<uint32_t>(p + kOffReceiveNsec);
  return f;
}

std::array<uint8_t, kShmSegmentSize> encodeShm(const ShmFields& f) {
  std::array<uint8_t, kShmSegmentSize> b{};
  uint8_t* p = b.data();
  store(p + kOffMode, f.mode);
  store(p + kOffCount, f.count);
  store(p + kOffClockSec, f.clock_sec);
  store(p + kOffClockUsec, f.clock_usec);
  store(p + kOffReceiveSec, f.receive_sec);
  store(p + kOffReceiveUsec, f.receive_usec);
  store(p + kOffLeap, f.leap);
  store(p + kOffPrecision, f.precision);
  store(p + kOffNsamples, f.nsamples);
  store(p + kOffValid, f.valid);
  store(p + kOffClockNsec, f.clock_nsec);
  store(p + kOffReceiveNsec, f.receive_nsec);
  return b;
}

ShmResult interpretShm(const ShmFields& f, int32_t count_after) {
  ShmResult r;
  if (f.valid == 0) return r;  // nothing new
  r.kind = ShmResult::Kind::kReject;
  if (f.mode != 0 && f.mode != 1) {
    r.reason = RejectReason::kBadMode;
    return r;
  }
  if (f.mode == 1 && f.count != count_after) {
    r.reason = RejectReason::kTornRead;
    return r;
  }
  int64_t clock_ns = subsecondNanos(f.clock_usec, f.clock_nsec);
  int64_t receive_ns = subsecondNanos(f.receive_usec, f.receive_nsec);
  if (clock_ns < 0 || receive_ns < 0 || f.clock_sec < 0 || f.receive_sec < 0 ||
      f.clock_sec > kMaxSeconds || f.receive_sec > kMaxSeconds) {
    r.reason = RejectReason::kBadTimestamp;
    return r;
  }
  if (f.leap < 0 || f.leap > 3) {
    r.reason = RejectReason::kBadTimestamp;
    return r;
  }
  SysTime clock = common::sysTimeFromNanos(f.clock_sec * common::kNanosPerSecond + clock_ns);
  SysTime receive = common::sysTimeFromNanos(f.receive_sec * common::kNanosPerSecond + receive_ns);
  r.kind = ShmResult::Kind::kSample;
  r.sample.local_time = receive;
  r.sample.offset = clock - receive;
  r.sample.leap = static_cast<LeapIndicator>(f.leap);
  return r;
}

ShmResult parseShmBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kShmSegmentSize) {
    ShmResult r;
    r.kind = ShmResult::Kind::kReject;
    r.reason = RejectReason::kBadSize;
    return r;
  }
  ShmFields f = decodeShm(bytes.first<kShmSegmentSize>());
  return interpretShm(f, f.count);
}

ShmDriver::ShmDriver(ShmOptions options) : options_(options) {}

ShmDriver::~ShmDriver() { detach(); }

common::Result<void> ShmDriver::attach() {
  key_t key = static_cast<key_t>(kShmKeyBase + options_.unit);
  int id = ::shmget(key, kShmSegmentSize, IPC_CREAT | (options_.perm & 0777));
  if (id < 0) {
    if (errno == EINVAL) {
      return common::makeError("SHM segment " + std::to_string(options_.unit) +
                               " exists with a size other than " + std::to_string(kShmSegmentSize) +
                               " bytes");
    }
    return common::makeError("shmget for SHM unit " + std::to_string(options_.unit) +
                             " failed: " + std::strerror(errno));
  }
  void* addr = ::shmat(id, nullptr, 0);
  if (addr == reinterpret_cast<void*>(-1)) {
    return common::makeError("shmat for SHM unit " + std::to_string(options_.unit) +
                             " failed: " + std::strerror(errno));
  }
  shm_id_ = id;
  addr_ = addr;
  return {};
}

void ShmDriver::detach() {
  if (addr_ != nullptr) ::shmdt(addr_);
  addr_ = nullptr;
  shm_id_ = -1;
}

void ShmDriver::poll(SysTime, SampleSink& sink) {
  if (addr_ != nullptr) {
    // A segment removed by someone (ipcrm) stays attached but is no longer the one writers
    // find by key: re-attach.
    struct shmid_ds ds;
    if (::shmctl(shm_id_, IPC_STAT, &ds) < 0 || (ds.shm_perm.mode & SHM_DEST) != 0) {
      detach();
    }
  }
  if (addr_ == nullptr) {
    auto attached = attach();
    if (!attached) {
      sink.fault(attached.error().message);
      return;
    }
    sink.recovered();
  }
  // Mode-1 protocol: count, fields, count again, with the writer possibly running.
  auto* base = static_cast<volatile uint8_t*>(addr_);
  std::array<uint8_t, kShmSegmentSize> copy;
  int32_t count_before;
  std::memcpy(&count_before, const_cast<const uint8_t*>(base) + kOffCount, sizeof count_before);
  std::atomic_thread_fence(std::memory_order_acquire);
  for (size_t i = 0; i < kShmSegmentSize; ++i) copy[i] = base[i];
  std::atomic_thread_fence(std::memory_order_acquire);
  int32_t count_after;
  std::memcpy(&count_after, const_cast<const uint8_t*>(base) + kOffCount, sizeof count_after);

  ShmFields f = decodeShm(copy);
  f.count = count_before;
  ShmResult r = interpretShm(f, count_after);
  if (f.valid != 0) {
    int32_t zero = 0;
    std::atomic_thread_fence(std::memory_order_release);
    std::memcpy(const_cast<uint8_t*>(base) + kOffValid, &zero, sizeof zero);
  }
  switch (r.kind) {
    case ShmResult::Kind::kSample:
      sink.sample(r.sample);
      break;
    case ShmResult::Kind::kReject:
      sink.reject(r.reason);
      break;
    case ShmResult::Kind::kNoSample:
      break;
  }
}

}  // namespace strata::refclock
