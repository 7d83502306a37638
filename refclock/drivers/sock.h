#pragma once
// SOCK refclock driver: chrony's unix-datagram sample protocol (`refclock SOCK PATH`), which
// gpsd and other tools write. The driver creates the socket at PATH (removing a stale one)
// and reads datagrams as they come (no polling).
//
// Datagram layout (chrony's struct sock_sample, x86-64/LP64 ABI, native byte order, 40 bytes):
//   off  size  field
//     0     8  tv.tv_sec    system time of the measurement (struct timeval)
//     8     8  tv.tv_usec
//    16     8  offset       double, seconds: true time - system time
//    24     4  pulse        non-zero: a PPS edge, only the sub-second offset is meaningful
//    28     4  leap         0 none, 1 insert, 2 delete
//    32     4  _pad
//    36     4  magic        0x534f434b ("SOCK")
//
// parseSock/encodeSock are pure and fuzzed; SockDriver is the socket shell.
// Thread-safety: TimeKeeper thread only.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "refclock/drivers/driver.h"

namespace strata::refclock {

inline constexpr size_t kSockSampleSize = 40;
inline constexpr int32_t kSockMagic = 0x534f434b;

struct SockFields {
  int64_t tv_sec = 0;
  int64_t tv_usec = 0;
  double offset_s = 0;
  int32_t pulse = 0;
  int32_t leap = 0;
  int32_t pad = 0;
  int32_t magic = kSockMagic;
};

std::array<uint8_t, kSockSampleSize> encodeSock(const SockFields& fields);

struct SockResult {
  bool ok = false;
  RejectReason reason = RejectReason::kCount;  // when !ok
  Sample sample;                               // when ok
};

// One datagram -> a sample or the reason it is unusable (size, magic, timestamp or offset out
// of range, bad leap value). Never crashes on any input.
SockResult parseSock(std::span<const uint8_t> datagram);

struct SockOptions {
  std::string path;
};

class SockDriver final : public RefclockDriver {
 public:
  // Creates and binds the socket (an existing socket file at the path is replaced).
  static common::Result<std::unique_ptr<SockDriver>> open(SockOptions options);
  ~SockDriver() override;
  std::string_view kind() const override { return "SOCK"; }
  int fd() const override { return fd_.get(); }
  void poll(SysTime, SampleSink&) override {}
  // Reads every queued datagram.
  void onReadable(SysTime now_local, SampleSink& sink) override;

 private:
  SockDriver(SockOptions options, common::UniqueFd fd)
      : options_(std::move(options)), fd_(std::move(fd)) {}
  SockOptions options_;
  common::UniqueFd fd_;
};

}  // namespace strata::refclock
