// strata-refclock-feed: a reference-clock writer for tests and operators.
//
//   strata-refclock-feed shm  --unit 0 [--perm 0600] [options]
//   strata-refclock-feed sock --path /run/chrony.sock [--pulse] [options]
//
// Every 1/rate seconds it reads the system clock (t) and publishes a sample saying that the
// reference time at t is  t + offset + drift_ppm * 1e-6 * elapsed + N(0, jitter)  (SHM: the
// clock timestamp with t as the receive timestamp, mode 1 with the count protocol; SOCK:
// chrony's sock_sample with tv = t). It runs for --duration seconds (at most one day) and
// never touches the system clock.

#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <string>

#include "refclock/drivers/shm.h"
#include "refclock/drivers/sock.h"

namespace po = boost::program_options;
using namespace strata;

namespace {

std::atomic<bool> g_stop{false};
void onSignal(int) { g_stop.store(true); }

struct Options {
  std::string kind;
  int unit = 0;
  int perm = 0600;
  std::string path;
  bool pulse = false;
  double offset_s = 0;
  double jitter_s = 0;
  double drift_ppm = 0;
  double rate_hz = 1;
  double duration_s = 60;
  int leap = 0;
  uint64_t seed = 1;
  bool quiet = false;
};

timespec now(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return ts;
}

int64_t toNs(const timespec& ts) { return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec; }

class ShmWriter {
 public:
  bool open(int unit, int perm) {
    key_t key = static_cast<key_t>(refclock::kShmKeyBase + unit);
    int id = ::shmget(key, refclock::kShmSegmentSize, IPC_CREAT | (perm & 0777));
    if (id < 0) {
      std::fprintf(stderr, "shmget(0x%x): %s\n", static_cast<unsigned>(key), std::strerror(errno));
      return false;
    }
    addr_ = static_cast<volatile uint8_t*>(::shmat(id, nullptr, 0));
    if (addr_ == reinterpret_cast<volatile uint8_t*>(-1)) {
      std::fprintf(stderr, "shmat: %s\n", std::strerror(errno));
      addr_ = nullptr;
      return false;
    }
    return true;
  }
  ~ShmWriter() {
    if (addr_ != nullptr) ::shmdt(const_cast<uint8_t*>(addr_));
  }
  // Mode 1: valid=0, count++, fields, count++, valid=1 (what gpsd does).
  void write(int64_t system_ns, int64_t reference_ns, int leap) {
    refclock::ShmFields f;
    f.mode = 1;
    f.clock_sec = reference_ns / 1'000'000'000;
    f.clock_nsec = static_cast<uint32_t>(reference_ns % 1'000'000'000);
    f.clock_usec = static_cast<int32_t>(f.clock_nsec / 1000);
    f.receive_sec = system_ns / 1'000'000'000;
    f.receive_nsec = static_cast<uint32_t>(system_ns % 1'000'000'000);
    f.receive_usec = static_cast<int32_t>(f.receive_nsec / 1000);
    f.leap = leap;
    f.precision = -20;
    auto bytes = refclock::encodeShm(f);
    setInt(48, 0);
    setInt(4, ++count_);
    std::atomic_thread_fence(std::memory_order_release);
    for (size_t i = 8; i < 48; ++i) addr_[i] = bytes[i];
    for (size_t i = 52; i < 60; ++i) addr_[i] = bytes[i];
    setInt(0, 1);
    std::atomic_thread_fence(std::memory_order_release);
    setInt(4, ++count_);
    setInt(48, 1);
  }

 private:
  void setInt(size_t off, int32_t v) {
    uint8_t b[4];
    std::memcpy(b, &v, 4);
    for (int i = 0; i < 4; ++i) addr_[off + static_cast<size_t>(i)] = b[i];
  }
  volatile uint8_t* addr_ = nullptr;
  int32_t count_ = 0;
};

class SockWriter {
 public:
  bool open(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || path.size() >= sizeof(addr_.sun_path)) return false;
    addr_.sun_family = AF_UNIX;
    std::memcpy(addr_.sun_path, path.c_str(), path.size() + 1);
    return true;
  }
  ~SockWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  // Returns false if the reader is not there (yet): the sample is dropped, like gpsd does.
  bool write(int64_t system_ns, double offset_s, bool pulse, int leap) {
    refclock::SockFields f;
    f.tv_sec = system_ns / 1'000'000'000;
    f.tv_usec = (system_ns % 1'000'000'000) / 1000;
    // The datagram carries microseconds; the offset is relative to that truncated time.
    double truncated_ns = static_cast<double>(system_ns % 1000);
    f.offset_s = offset_s + truncated_ns * 1e-9;
    f.pulse = pulse ? 1 : 0;
    f.leap = leap;
    auto bytes = refclock::encodeSock(f);
    return ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&addr_),
                    sizeof addr_) == static_cast<ssize_t>(bytes.size());
  }

 private:
  int fd_ = -1;
  sockaddr_un addr_{};
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string leap = "none";
  std::string perm = "0600";
  po::options_description desc(
      "strata-refclock-feed: write reference-clock samples (SHM or SOCK) derived from the "
      "system clock\nUsage: strata-refclock-feed shm|sock [options]\nOptions");
  desc.add_options()("help,h", "show this help")(
      "unit", po::value(&o.unit), "SHM: segment unit (key 0x4e545030 + unit), default 0")(
      "perm", po::value(&perm), "SHM: permissions if the writer creates the segment (octal)")(
      "path", po::value(&o.path), "SOCK: path of the socket the daemon created")(
      "pulse", po::bool_switch(&o.pulse), "SOCK: send pulse samples (only the sub-second offset)")(
      "offset", po::value(&o.offset_s), "reference - system time, seconds (default 0)")(
      "jitter", po::value(&o.jitter_s), "standard deviation of each sample's error, seconds")(
      "drift", po::value(&o.drift_ppm), "the reference gains this many ppm on the system clock")(
      "rate", po::value(&o.rate_hz), "samples per second (default 1, at most 100)")(
      "duration", po::value(&o.duration_s), "seconds to run (default 60, at most 86400)")(
      "leap", po::value(&leap), "leap flag to send: none, insert, delete, unsync (SHM only)")(
      "seed", po::value(&o.seed), "random seed for the jitter (default 1)")(
      "quiet,q", po::bool_switch(&o.quiet), "no per-second progress");
  po::options_description hidden;
  hidden.add_options()("kind", po::value(&o.kind));
  po::positional_options_description pos;
  pos.add("kind", 1);
  po::options_description all;
  all.add(desc).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata-refclock-feed: %s\n", e.what());
    return 2;
  }
  if (vm.count("help") || o.kind.empty()) {
    std::cout << desc << "\n";
    return o.kind.empty() && !vm.count("help") ? 2 : 0;
  }
  o.perm = static_cast<int>(std::strtol(perm.c_str(), nullptr, 8));
  if (leap == "none")
    o.leap = 0;
  else if (leap == "insert")
    o.leap = 1;
  else if (leap == "delete")
    o.leap = 2;
  else if (leap == "unsync")
    o.leap = 3;
  else {
    std::fprintf(stderr, "strata-refclock-feed: bad --leap %s\n", leap.c_str());
    return 2;
  }
  if (!(o.rate_hz > 0 && o.rate_hz <= 100) || !(o.duration_s > 0 && o.duration_s <= 86400) ||
      !(o.jitter_s >= 0 && o.jitter_s < 1) || !std::isfinite(o.offset_s) ||
      std::fabs(o.drift_ppm) > 1000) {
    std::fprintf(stderr, "strata-refclock-feed: rate, duration, jitter or drift out of range\n");
    return 2;
  }

  ShmWriter shm;
  SockWriter sock;
  if (o.kind == "shm") {
    if (!shm.open(o.unit, o.perm)) return 1;
  } else if (o.kind == "sock") {
    if (o.path.empty() || !sock.open(o.path)) {
      std::fprintf(stderr, "strata-refclock-feed: sock needs a valid --path\n");
      return 2;
    }
    if (o.leap == 3) {
      std::fprintf(stderr, "strata-refclock-feed: SOCK has no 'unsync' leap value\n");
      return 2;
    }
  } else {
    std::fprintf(stderr, "strata-refclock-feed: kind must be shm or sock\n");
    return 2;
  }

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> noise(0.0, 1.0);
  const int64_t period_ns = static_cast<int64_t>(1e9 / o.rate_hz);
  const int64_t start_mono = toNs(now(CLOCK_MONOTONIC));
  const int64_t end_mono = start_mono + static_cast<int64_t>(o.duration_s * 1e9);
  int64_t next = start_mono;
  uint64_t written = 0, dropped = 0;
  while (!g_stop.load()) {
    timespec ts{static_cast<time_t>(next / 1'000'000'000), static_cast<long>(next % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
      if (g_stop.load()) break;
    }
    if (g_stop.load() || toNs(now(CLOCK_MONOTONIC)) >= end_mono) break;
    const int64_t sys = toNs(now(CLOCK_REALTIME));
    const double elapsed = static_cast<double>(next - start_mono) * 1e-9;
    const double offset = o.offset_s + o.drift_ppm * 1e-6 * elapsed + o.jitter_s * noise(rng);
    if (o.kind == "shm") {
      shm.write(sys, sys + static_cast<int64_t>(std::llround(offset * 1e9)), o.leap);
      ++written;
    } else if (sock.write(sys, offset, o.pulse, o.leap)) {
      ++written;
    } else {
      ++dropped;
    }
    if (!o.quiet && written % static_cast<uint64_t>(std::max(1.0, o.rate_hz)) == 0) {
      std::fprintf(stderr, "\r%llu samples written, %llu dropped",
                   static_cast<unsigned long long>(written),
                   static_cast<unsigned long long>(dropped));
    }
    next += period_ns;
  }
  std::fprintf(stderr, "%s%llu samples written, %llu dropped\n", o.quiet ? "" : "\r",
               static_cast<unsigned long long>(written), static_cast<unsigned long long>(dropped));
  return 0;
}
