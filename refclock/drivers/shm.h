#pragma once
// SHM refclock driver: ntpd's shared-memory segment (`refclock SHM UNIT[:perm=MODE]`), the
// one gpsd and many GNSS tools write. SysV segment with key 0x4e545030 + unit, created by
// the reader with the configured permissions (default 0600).
//
// Segment layout (ntpd's struct shmTime, x86-64/LP64 ABI, native byte order, 96 bytes):
//   off  size  field
//     0     4  mode                 0: use if valid; 1: use if valid and count unchanged
//     4     4  count                bumped by the writer around each update
//     8     8  clockTimeStampSec    reference time (time_t)
//    16     4  clockTimeStampUSec
//    24     8  receiveTimeStampSec  system time when the reference time was taken
//    32     4  receiveTimeStampUSec
//    36     4  leap                 0 none, 1 insert, 2 delete, 3 not synchronised
//    40     4  precision            log2 s (ignored: `precision` option instead)
//    44     4  nsamples             (ignored)
//    48     4  valid                set by the writer, cleared by the reader
//    52     4  clockTimeStampNSec   (unsigned) used when consistent with the USec field
//    56     4  receiveTimeStampNSec (unsigned)
//    60    32  dummy[8]
//    92     4  (padding to 8-byte alignment)
//
// The parsing (decodeShm/interpretShm) and the writer's encoding (encodeShm) are pure and
// fuzzed; ShmDriver is the shell around shmget/shmat. Thread-safety: ShmDriver is used on the
// TimeKeeper thread only; the segment itself is shared with a writer process, read with the
// mode-1 count protocol.

#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "common/result.h"
#include "refclock/drivers/driver.h"

namespace strata::refclock {

inline constexpr size_t kShmSegmentSize = 96;
inline constexpr int32_t kShmKeyBase = 0x4e545030;  // "NTP0"

struct ShmFields {
  int32_t mode = 0;
  int32_t count = 0;
  int64_t clock_sec = 0;
  int32_t clock_usec = 0;
  int64_t receive_sec = 0;
  int32_t receive_usec = 0;
  int32_t leap = 0;
  int32_t precision = 0;
  int32_t nsamples = 0;
  int32_t valid = 0;
  uint32_t clock_nsec = 0;
  uint32_t receive_nsec = 0;
};

ShmFields decodeShm(std::span<const uint8_t, kShmSegmentSize> bytes);
std::array<uint8_t, kShmSegmentSize> encodeShm(const ShmFields& fields);

struct ShmResult {
  enum class Kind : uint8_t { kSample, kNoSample, kReject } kind = Kind::kNoSample;
  RejectReason reason = RejectReason::kCount;  // for kReject
  Sample sample;                               // for kSample
};

// Interprets one read of the segment. `count_after` is the count read again after the
// fields (mode 1 needs it to equal fields.count). Not `valid`: kNoSample.
ShmResult interpretShm(const ShmFields& fields, int32_t count_after);

// Bytes -> result, for the fuzzer and tests: bytes must be exactly kShmSegmentSize long
// (else kReject/kBadSize); count_after is taken from the bytes themselves.
ShmResult parseShmBytes(std::span<const uint8_t> bytes);

struct ShmOptions {
  int unit = 0;
  int perm = 0600;
};

class ShmDriver final : public RefclockDriver {
 public:
  explicit ShmDriver(ShmOptions options);
  ~ShmDriver() override;
  std::string_view kind() const override { return "SHM"; }
  // Attaches (creating the segment if needed) on the first poll and again whenever the
  // segment was removed; failures are reported through the sink, never thrown.
  void poll(SysTime now_local, SampleSink& sink) override;

 private:
  common::Result<void> attach();
  void detach();

  ShmOptions options_;
  int shm_id_ = -1;
  void* addr_ = nullptr;
};

}  // namespace strata::refclock
